// Stage items, link blocks (profile + knobs + stages) and selectors: the pieces shared by the
// `links` section and the timeline.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include "harness/core/suggest.hpp"
#include "harness/scenario/sections.hpp"
#include "harness/scenario/selector.hpp"

namespace camleak::scenario::detail {

impair::Direction media_direction(LinkRole role) {
  return role == LinkRole::uplink ? impair::Direction::upstream : impair::Direction::downstream;
}

DeviceKind role_devices(LinkRole role) {
  return device_kind(role);
}

std::optional<LinkRole> parse_role(std::string_view text) {
  if (text == "uplink") return LinkRole::uplink;
  if (text == "live") return LinkRole::live;
  if (text == "snapshot") return LinkRole::snapshot;
  return std::nullopt;
}

namespace {

// Keys of a stage item that are not attributes.
const std::vector<std::string_view> kStageKeys{"type", "name", "direction", "toxicity"};

}  // namespace

std::optional<impair::AttributeValue> read_attribute(Context& ctx, const YAML::Node& node,
                                                     const std::string& path,
                                                     const impair::AttributeSpec* spec) {
  if (!node.IsDefined() || !node.IsScalar()) {
    ctx.error(node, path, "expected a single value");
    return std::nullopt;
  }
  const std::string& text = node.Scalar();
  // Quoted text stays text; the registry converts "250ms"-style values to the attribute's unit.
  if (!is_plain_scalar(node)) return impair::AttributeValue{text};
  if (spec != nullptr && spec->kind == impair::AttributeSpec::Kind::string) {
    return impair::AttributeValue{text};
  }
  int64_t i = 0;
  if (auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
      p == text.data() + text.size()) {
    if (ec == std::errc()) return impair::AttributeValue{i};
    // A whole number too long for int64: say so with the number as written, where converting
    // it on would print a rounded double (or, cast, a wrapped negative one).
    if (ec == std::errc::result_out_of_range && spec != nullptr &&
        spec->kind == impair::AttributeSpec::Kind::integer) {
      ctx.error(node, path,
                "is out of range, got " + text + " (whole numbers go up to " +
                    std::to_string(std::numeric_limits<int64_t>::max()) + ")");
      return std::nullopt;
    }
  }
  double d = 0;
  if (auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      ec == std::errc() && p == text.data() + text.size()) {
    return impair::AttributeValue{d};
  }
  if (text == "true") return impair::AttributeValue{true};
  if (text == "false") return impair::AttributeValue{false};
  return impair::AttributeValue{text};
}

// Completes `attributes` through the registry, reporting its complaints at the attribute they
// name (or at `at` when they name none).
std::optional<impair::Attributes> complete_attributes(
    Context& ctx, const impair::Registry& registry, const std::string& type,
    const impair::Attributes& attributes, const YAML::Node& at, const std::string& path,
    const std::map<std::string, YAML::Node>& attribute_nodes,
    const std::map<std::string, YAML::Mark>* key_marks = nullptr) {
  try {
    return registry.complete(type, attributes);
  } catch (const InputError& e) {
    for (const auto& d : e.diagnostics()) {
      auto it = attribute_nodes.find(d.field);
      const std::string field = d.field.empty() ? path : join_path(path, d.field);
      if (it == attribute_nodes.end()) {
        ctx.error(at, field, d.message);
      } else if (d.message.rfind("unknown attribute", 0) == 0 && key_marks != nullptr &&
                 key_marks->contains(d.field)) {
        ctx.error(key_marks->at(d.field), field, d.message);  // the key is what is wrong
      } else {
        ctx.error(it->second, field, d.message);
      }
    }
    return std::nullopt;
  }
}

NamedStageType read_stage_type(Context& ctx, MapReader& map, std::string_view key,
                               const impair::Registry& registry) {
  NamedStageType out;
  const auto n = map.require(key);
  if (!n) return out;
  out.node = *n;
  const auto type = read_string(ctx, *n, map.path(key));
  if (!type) return out;
  out.type = registry.find(*type);
  if (out.type == nullptr) {
    std::vector<std::string> names;
    for (const auto& t : registry.types()) names.push_back(t.name);
    std::string list;
    for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
    ctx.error(*n, map.path(key),
              "unknown stage type \"" + *type + "\"" + did_you_mean(*type, names) +
                  " (stage types: " + list + ")");
  }
  return out;
}

std::optional<std::vector<impair::Direction>> read_directions(Context& ctx, MapReader& map,
                                                              impair::Direction fallback,
                                                              bool both_allowed) {
  using impair::Direction;
  const auto n = map.get("direction");
  if (!n) return std::vector<Direction>{fallback};
  static const std::vector<std::string> kWords{"down", "up", "downstream", "upstream"};
  static const std::vector<std::string> kWordsWithBoth{"down", "up", "both", "downstream",
                                                       "upstream"};
  const auto& words = both_allowed ? kWordsWithBoth : kWords;
  const auto word = read_choice(ctx, *n, map.path("direction"), words);
  if (!word) return std::nullopt;
  const std::string& w = words[*word];
  if (w == "both") return std::vector<Direction>{Direction::upstream, Direction::downstream};
  return std::vector<Direction>{w.starts_with("down") ? Direction::downstream
                                                      : Direction::upstream};
}

bool read_attributes(Context& ctx, MapReader& map, const impair::StageType* type,
                     const std::vector<std::string_view>& skip, ReadAttributes& out) {
  bool ok = true;
  for (const auto& key : map.keys()) {
    if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
    const YAML::Node value = *map.get(key);
    const impair::AttributeSpec* spec = type != nullptr ? type->attribute(key) : nullptr;
    if (auto v = read_attribute(ctx, value, map.path(key), spec)) {
      out.values[key] = *v;
      out.nodes[key] = value;
      out.key_marks[key] = map.key_mark(key);
    } else {
      ok = false;
    }
  }
  return ok;
}

std::vector<impair::StageSpec> read_stage(Context& ctx, const YAML::Node& node,
                                          const std::string& path, LinkRole role,
                                          const impair::Registry& registry) {
  MapReader map(ctx, node, path);
  if (!map.ok()) return {};
  const NamedStageType named = read_stage_type(ctx, map, "type", registry);
  bool ok = named.type != nullptr;
  std::string name;
  ok = map.read_into("name", name, read_name) && ok;
  const auto directions = read_directions(ctx, map, media_direction(role), true);
  ok = directions.has_value() && ok;
  double toxicity = 1.0;
  ok = map.read_into("toxicity", toxicity, read_fraction) && ok;
  // Every other key is an attribute of the stage type.
  ReadAttributes attributes;
  ok = read_attributes(ctx, map, named.type, kStageKeys, attributes) && ok;
  map.finish();
  if (!ok) return {};
  const std::string& type = named.type->name;
  auto completed = complete_attributes(ctx, registry, type, attributes.values, node, path,
                                       attributes.nodes, &attributes.key_marks);
  if (!completed) return {};
  if (!name.empty() && directions->size() > 1) {
    ctx.error(map.key_mark("name"), map.path("name"),
              "a stage with `direction: both` becomes two stages and cannot take one name; "
              "leave `name` out (they are named " +
                  impair::default_stage_name(type, impair::Direction::upstream) + " and " +
                  impair::default_stage_name(type, impair::Direction::downstream) + ")");
    return {};
  }
  std::vector<impair::StageSpec> out;
  for (auto d : *directions) {
    impair::StageSpec spec;
    spec.name = name.empty() ? impair::default_stage_name(type, d) : name;
    spec.type = type;
    spec.direction = d;
    spec.toxicity = toxicity;
    spec.attributes = *completed;
    out.push_back(std::move(spec));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

namespace {

// The shorthand knobs of a link block (besides `profile` and `stages`).
void read_knobs(Context& ctx, MapReader& map, LinkParams& params) {
  auto rate = [&](const char* key, std::initializer_list<std::optional<uint64_t> LinkParams::*> f) {
    if (auto n = map.get(key)) {
      if (auto v = read_rate(ctx, *n, map.path(key))) {
        for (auto field : f) params.*field = *v;
      }
    }
  };
  auto duration = [&](const char* key,
                      std::initializer_list<std::optional<Micros> LinkParams::*> f) {
    if (auto n = map.get(key)) {
      if (auto v = read_duration(ctx, *n, map.path(key))) {
        for (auto field : f) params.*field = *v;
      }
    }
  };
  auto fraction = [&](const char* key,
                      std::initializer_list<std::optional<double> LinkParams::*> f) {
    if (auto n = map.get(key)) {
      if (auto v = read_fraction(ctx, *n, map.path(key))) {
        for (auto field : f) params.*field = *v;
      }
    }
  };
  // Both-way knobs first so that one-way ones written beside them win.
  rate("bandwidth", {&LinkParams::down_bps, &LinkParams::up_bps});
  rate("down", {&LinkParams::down_bps});
  rate("up", {&LinkParams::up_bps});
  duration("latency", {&LinkParams::down_latency, &LinkParams::up_latency});
  duration("latency_down", {&LinkParams::down_latency});
  duration("latency_up", {&LinkParams::up_latency});
  duration("jitter", {&LinkParams::jitter});
  fraction("loss", {&LinkParams::down_loss, &LinkParams::up_loss});
  fraction("loss_down", {&LinkParams::down_loss});
  fraction("loss_up", {&LinkParams::up_loss});
}

}  // namespace

LinkBlock read_link_block(Context& ctx, MapReader& map, LinkRole role,
                          const impair::Registry& registry) {
  LinkBlock block;
  if (auto n = map.get("profile")) {
    if (auto s = read_string(ctx, *n, map.path("profile"))) {
      if (const Profile* p = find_profile(*s)) {
        block.profile = p->name;
        block.params = p->params;
      } else {
        std::string list;
        for (const auto& name : profile_names()) list += (list.empty() ? "" : ", ") + name;
        ctx.error(*n, map.path("profile"),
                  "unknown profile \"" + *s + "\"" + did_you_mean(*s, profile_names()) +
                      " (profiles: " + list + ")");
      }
    }
  }
  LinkParams own;
  read_knobs(ctx, map, own);
  block.own_loss = (own.down_loss && *own.down_loss > 0) || (own.up_loss && *own.up_loss > 0);
  block.params.apply(own);
  if (auto n = map.get("stages")) {
    if (!n->IsSequence()) {
      ctx.error(*n, map.path("stages"), "expected a list of stages (`- type: latency ...`)");
    } else {
      for (size_t i = 0; i < n->size(); ++i) {
        const std::string path = index_path(map.path("stages"), i);
        for (auto& spec : read_stage(ctx, (*n)[i], path, role, registry)) {
          const bool duplicate =
              std::any_of(block.stages.begin(), block.stages.end(),
                          [&](const impair::StageSpec& s) { return s.name == spec.name; });
          if (duplicate) {
            ctx.error((*n)[i], path,
                      "a stage named \"" + spec.name +
                          "\" is already on this link; give one of them another `name`");
            continue;
          }
          block.stages.push_back(std::move(spec));
        }
      }
    }
  }
  return block;
}

namespace {

impair::StageSpec knob_stage(const impair::Registry& registry, const std::string& type,
                             impair::Direction direction, impair::Attributes attributes) {
  impair::StageSpec spec;
  spec.type = type;
  spec.name = impair::default_stage_name(type, direction);
  spec.direction = direction;
  // Knob values are converted from the registry's own units and ranges, so completing cannot
  // fail; if it ever does the registry changed under us, which is a programming error.
  spec.attributes = registry.complete(type, attributes);
  return spec;
}

int64_t whole_ms(Micros d) {
  return static_cast<int64_t>(std::llround(d.count() / 1000.0));
}

}  // namespace

std::vector<impair::StageSpec> compile_block(const LinkBlock& block, impair::Transport transport,
                                             const impair::Registry& registry) {
  std::vector<impair::StageSpec> out;
  const LinkParams& p = block.params;
  using impair::Direction;
  struct Side {
    Direction direction;
    std::optional<uint64_t> bps;
    std::optional<Micros> latency;
    std::optional<double> loss;
  };
  const Side sides[] = {{Direction::upstream, p.up_bps, p.up_latency, p.up_loss},
                        {Direction::downstream, p.down_bps, p.down_latency, p.down_loss}};
  for (const auto& side : sides) {
    const bool delayed = side.latency || p.jitter;
    const int64_t latency_ms = side.latency ? whole_ms(*side.latency) : 0;
    const int64_t jitter_ms = p.jitter ? whole_ms(*p.jitter) : 0;
    if (transport == impair::Transport::stream) {
      // Toxiproxy's toxics: latency (ms), bandwidth (KB/s). Loss has no meaning on a byte
      // stream (TCP turns it into retransmission delay), so it is not applied here.
      if (delayed) {
        out.push_back(knob_stage(registry, "latency", side.direction,
                                 {{"latency", latency_ms}, {"jitter", jitter_ms}}));
      }
      if (side.bps) {
        const auto kbytes = std::max<int64_t>(1, std::llround(*side.bps / 8000.0));
        out.push_back(knob_stage(registry, "bandwidth", side.direction, {{"rate", kbytes}}));
      }
    } else {
      // netem's impairments: delay (ms), rate (kbit/s), loss (%).
      if (delayed) {
        const double delay_ms = side.latency ? side.latency->count() / 1000.0 : 0.0;
        const double jitter = p.jitter ? p.jitter->count() / 1000.0 : 0.0;
        out.push_back(knob_stage(registry, "delay", side.direction,
                                 {{"delay", delay_ms}, {"jitter", jitter}}));
      }
      if (side.bps) {
        out.push_back(knob_stage(registry, "rate", side.direction,
                                 {{"rate", static_cast<double>(*side.bps) / 1000.0}}));
      }
      if (side.loss && *side.loss > 0) {
        out.push_back(
            knob_stage(registry, "loss", side.direction, {{"probability", *side.loss * 100.0}}));
      }
    }
  }
  // Explicit stages follow; one with the name of a knob stage replaces it.
  for (const auto& spec : block.stages) {
    const impair::StageType* type = registry.find(spec.type);
    if (transport == impair::Transport::stream && type != nullptr &&
        type->transport != impair::Transport::stream) {
      continue;  // a UDP impairment on a TCP-only link (checked by the callers)
    }
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const impair::StageSpec& s) { return s.name == spec.name; });
    if (same != out.end())
      *same = spec;
    else
      out.push_back(spec);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

namespace {

std::vector<std::string> device_names(DeviceKind kind, const Fleet& fleet) {
  std::vector<std::string> out;
  if (kind == DeviceKind::cameras) {
    for (const auto& c : fleet.cameras) out.push_back(c.name);
  } else {
    for (const auto& h : fleet.hubs) out.push_back(h.name);
  }
  return out;
}

const char* kind_word(DeviceKind kind) {
  return kind == DeviceKind::cameras ? "camera" : "hub";
}

}  // namespace

std::optional<Selector> read_selector(Context& ctx, const YAML::Node& node, const std::string& path,
                                      DeviceKind kind, const Fleet& fleet, bool allow_fraction) {
  if (node.IsScalar()) {
    if (node.Scalar() == "all") return Selector{};
    ctx.error(node, path,
              "expected `all` or a mapping with accounts, cameras, hubs and fraction, got \"" +
                  node.Scalar() + "\"");
    return std::nullopt;
  }
  MapReader map(ctx, node, path);
  if (!map.ok()) return std::nullopt;
  Selector s;
  bool ok = true;
  auto names = [&](const char* key, std::vector<std::string>& into,
                   const std::vector<std::string>& candidates, const char* what) {
    auto n = map.get(key);
    if (!n) return;
    auto list = read_string_list(ctx, *n, map.path(key));
    if (!list) {
      ok = false;
      return;
    }
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string& pattern = (*list)[i];
      const YAML::Node at = n->IsSequence() ? (*n)[i] : *n;
      const bool found = std::any_of(candidates.begin(), candidates.end(),
                                     [&](const std::string& c) { return glob_match(pattern, c); });
      if (!found && ctx.names_checkable) {
        ctx.error(at, n->IsSequence() ? index_path(map.path(key), i) : map.path(key),
                  "\"" + pattern + "\" matches no " + what + did_you_mean(pattern, candidates));
        ok = false;
      }
    }
    into = *list;
  };
  std::vector<std::string> account_names;
  for (const auto& a : fleet.accounts) account_names.push_back(a.name);
  names("accounts", s.accounts, account_names, "account");
  if (map.has("cameras") && kind == DeviceKind::hubs) {
    map.known({"cameras"});
    ctx.error(map.key_mark("cameras"), map.path("cameras"),
              "this selects hubs (live and snapshot links belong to hubs); select by `hubs` or "
              "`accounts`");
    ok = false;
  } else {
    names("cameras", s.cameras, device_names(DeviceKind::cameras, fleet), "camera");
  }
  if (map.has("hubs") && kind == DeviceKind::cameras) {
    map.known({"hubs"});
    ctx.error(map.key_mark("hubs"), map.path("hubs"),
              "this selects cameras (uplink links belong to cameras); select by `cameras` or "
              "`accounts`");
    ok = false;
  } else {
    names("hubs", s.hubs, device_names(DeviceKind::hubs, fleet), "hub");
  }
  if (auto n = map.get("fraction")) {
    if (!allow_fraction) {
      ctx.error(*n, map.path("fraction"),
                "a fraction is chosen with the run's seed, so it is not allowed here (links are "
                "fixed before the seed is known); use a timeline `set` at 0s instead");
      ok = false;
    } else if (auto f = read_fraction(ctx, *n, map.path("fraction"))) {
      s.fraction = *f;
    } else {
      ok = false;
    }
  }
  map.finish();
  if (!ok) return std::nullopt;
  if (ctx.names_checkable && match_devices(s, kind, fleet).empty()) {
    ctx.error(node, path,
              std::string("selects no ") + kind_word(kind) +
                  " (every list given must match the same device)");
    return std::nullopt;
  }
  return s;
}

}  // namespace camleak::scenario::detail
