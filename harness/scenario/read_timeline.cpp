// The `timeline` section: actions at times, checked against the fleet, the links' stage types
// and the duration. Phases are derived from the `phase` markers.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "harness/core/suggest.hpp"
#include "harness/core/units.hpp"
#include "harness/scenario/sections.hpp"
#include "harness/scenario/selector.hpp"

namespace camleak::scenario::detail {
namespace {

const std::vector<std::string> kKinds{"set", "clear", "ramp",   "partition", "storm",
                                      "sut", "share", "revoke", "phase"};
constexpr int64_t kMaxRampSteps = 100'000;

struct EntryReader {
  Context& ctx;
  Scenario& scenario;
  const impair::Registry& registry;
  Micros at{};
  std::string path;  // "timeline[3].ramp"

  // Cannot overflow: every duration a file spells is at most units::kLongestDuration.
  static Micros end_of(Micros start, Micros length) { return start + length; }

  // Reports an action that would run past the end of the scenario.
  void check_end(const YAML::Node& node, const std::string& field, Micros end) {
    if (scenario.duration.count() > 0 && end > scenario.duration) {
      ctx.error(node, field,
                "ends at " + units::format_duration(end) + ", after the scenario's duration (" +
                    units::format_duration(scenario.duration) + ")");
    }
  }

  std::optional<LinkRole> read_link(MapReader& map) {
    auto n = map.require("link");
    if (!n) return std::nullopt;
    auto r = read_choice(ctx, *n, map.path("link"), {"uplink", "live", "snapshot"});
    if (!r) return std::nullopt;
    return static_cast<LinkRole>(*r);
  }

  std::optional<Selector> read_select(MapReader& map, DeviceKind kind) {
    auto n = map.get("select");
    if (!n) return Selector{};
    return read_selector(ctx, *n, map.path("select"), kind, scenario.fleet, true);
  }

  // `link:` and `select:`; nullopt after a problem.
  std::optional<LinkTarget> read_target(MapReader& map) {
    const auto role = read_link(map);
    if (!role) return std::nullopt;
    auto select = read_select(map, role_devices(*role));
    if (!select) return std::nullopt;
    return LinkTarget{*role, std::move(*select)};
  }

  // A positive duration under `key` that, from `at`, must end within the scenario; `out` keeps
  // its value when the key is absent (reported when `required`). False after a problem.
  template <class Duration>
  bool read_span(MapReader& map, const char* key, Duration& out, bool required) {
    const auto n = required ? map.require(key) : map.get(key);
    if (!n) return !required;
    const auto d = read_positive_duration(ctx, *n, map.path(key));
    if (!d) return false;
    out = *d;
    check_end(*n, map.path(key), end_of(at, *d));
    return true;
  }

  std::vector<impair::Transport> transports(LinkRole role, const Selector& select) {
    const auto devices = match_devices(select, role_devices(role), scenario.fleet);
    return role_transports(role, scenario.fleet, devices);
  }

  // A UDP-only stage type where every selected link carries TCP would never act.
  bool check_stage_fits(const impair::StageSpec& spec, LinkRole role, const Selector& select,
                        const YAML::Node& at, const std::string& field) {
    const impair::StageType* type = registry.find(spec.type);
    if (type == nullptr || type->transport != impair::Transport::datagram) return true;
    const auto t = transports(role, select);
    if (std::find(t.begin(), t.end(), impair::Transport::datagram) != t.end()) return true;
    ctx.error(at, field,
              "stage `" + spec.name + "` (" + spec.type + ") acts on UDP flows, but every " +
                  std::string(to_string(role)) + " link it selects carries TCP");
    return false;
  }

  std::optional<ActionBody> set(const YAML::Node& node) {
    MapReader map(ctx, node, path);
    if (!map.ok()) return std::nullopt;
    SetAction a;
    const auto target = read_target(map);
    LinkBlock block = read_link_block(ctx, map, target ? target->role : LinkRole::live, registry);
    read_span(map, "for", a.duration, false);
    map.finish();
    if (!target) return std::nullopt;
    if (block.empty()) {
      ctx.error(node, path,
                "nothing to set: give a `profile`, knobs such as `latency`, or "
                "`stages`");
      return std::nullopt;
    }
    bool ok = true;
    for (const auto& spec : block.stages) {
      ok = check_stage_fits(spec, target->role, target->select, node, map.path("stages")) && ok;
    }
    const auto t = transports(target->role, target->select);
    const bool any_datagram = std::find(t.begin(), t.end(), impair::Transport::datagram) != t.end();
    if (block.own_loss && !any_datagram) {
      ctx.error(node, path,
                "`loss` applies to UDP links only, and every " +
                    std::string(to_string(target->role)) +
                    " link it selects carries TCP (use `latency` and `jitter`, or "
                    "`transport: udp`)");
      ok = false;
    }
    if (!ok) return std::nullopt;
    static_cast<LinkTarget&>(a) = *target;
    a.stream_stages = compile_block(block, impair::Transport::stream, registry);
    a.datagram_stages = compile_block(block, impair::Transport::datagram, registry);
    return a;
  }

  std::optional<ActionBody> clear(const YAML::Node& node) {
    MapReader map(ctx, node, path);
    if (!map.ok()) return std::nullopt;
    ClearAction a;
    const auto target = read_target(map);
    const bool ok = map.read_into("stages", a.names, read_string_list);
    map.finish();
    if (!target || !ok) return std::nullopt;
    static_cast<LinkTarget&>(a) = *target;
    return a;
  }

  std::optional<ActionBody> ramp(const YAML::Node& node) {
    MapReader map(ctx, node, path);
    if (!map.ok()) return std::nullopt;
    RampAction a;
    bool ok = true;
    const auto target = read_target(map);
    // The stage being ramped, written like a stage item but with `stage:` for its type and its
    // other attributes under `with:`.
    const NamedStageType named = read_stage_type(ctx, map, "stage", registry);
    const impair::StageType* stage_type = named.type;
    const std::string type = stage_type ? stage_type->name : "";
    std::string name;
    ok = map.read_into("name", name, read_name) && ok;
    const auto directions =
        read_directions(ctx, map, media_direction(target ? target->role : LinkRole::live), false);
    ok = directions.has_value() && ok;
    const impair::AttributeSpec* spec = nullptr;
    YAML::Node attribute_node;
    if (auto n = map.require("attribute")) {
      attribute_node = *n;
      if (auto s = read_string(ctx, *n, map.path("attribute"))) {
        a.attribute = *s;
        if (stage_type) {
          std::vector<std::string> numeric;
          for (const auto& at_spec : stage_type->attributes) {
            const bool is_numeric = at_spec.kind == impair::AttributeSpec::Kind::integer ||
                                    at_spec.kind == impair::AttributeSpec::Kind::number;
            if (is_numeric) numeric.push_back(at_spec.name);
            if (at_spec.name == *s) spec = &at_spec;
          }
          if (spec == nullptr || std::find(numeric.begin(), numeric.end(), *s) == numeric.end()) {
            std::string list;
            for (const auto& x : numeric) list += (list.empty() ? "" : ", ") + x;
            ctx.error(*n, map.path("attribute"),
                      "stage type `" + type + "` has no numeric attribute \"" + *s + "\"" +
                          did_you_mean(*s, numeric) + " (numeric attributes: " + list + ")");
            spec = nullptr;
          }
        }
      }
    } else {
      ok = false;
    }
    ReadAttributes with;
    if (auto n = map.get("with")) {
      MapReader w(ctx, *n, map.path("with"));
      ok = read_attributes(ctx, w, stage_type, {}, with) && ok;
      w.finish();
    }
    // from and to go through the registry so units ("50ms") and ranges are checked like any
    // other attribute value.
    std::optional<double> ends[2];
    const char* end_keys[] = {"from", "to"};
    for (int i = 0; i < 2; ++i) {
      auto n = map.require(end_keys[i]);
      if (!n) {
        ok = false;
        continue;
      }
      if (!spec) continue;
      auto v = read_attribute(ctx, *n, map.path(end_keys[i]), spec);
      if (!v) {
        ok = false;
        continue;
      }
      impair::Attributes attrs = with.values;
      attrs[a.attribute] = *v;
      std::map<std::string, YAML::Node> nodes = with.nodes;
      nodes[a.attribute] = *n;
      // Attribute errors for the ramped value are reported under from/to, not the attribute.
      try {
        const auto completed = registry.complete(type, attrs);
        const auto& value = completed.at(a.attribute);
        if (const auto* iv = std::get_if<int64_t>(&value))
          ends[i] = static_cast<double>(*iv);
        else if (const auto* dv = std::get_if<double>(&value))
          ends[i] = *dv;
        if (i == 0) a.stage.attributes = completed;
      } catch (const InputError& e) {
        for (const auto& d : e.diagnostics()) {
          if (d.field == a.attribute) {
            ctx.error(*n, map.path(end_keys[i]), d.message);
          } else if (i == 0) {  // problems of `with` attributes: report once
            auto it = nodes.find(d.field);
            ctx.error(it != nodes.end() ? it->second : node,
                      d.field.empty() ? path : join_path(map.path("with"), d.field), d.message);
          }
        }
        ok = false;
      }
    }
    ok = read_span(map, "over", a.over, true) && ok;
    ok = map.read_into("every", a.every, read_positive_duration) && ok;
    if (ok && a.over.count() / std::max<int64_t>(1, a.every.count()) > kMaxRampSteps) {
      ctx.error(node, path,
                "more than " + std::to_string(kMaxRampSteps) + " steps; make `every` longer");
      ok = false;
    }
    map.finish();
    if (!ok || !target || !stage_type || !spec || !ends[0] || !ends[1]) return std::nullopt;
    static_cast<LinkTarget&>(a) = *target;
    a.from = *ends[0];
    a.to = *ends[1];
    a.integer = spec->kind == impair::AttributeSpec::Kind::integer;
    a.transport = stage_type->transport;
    a.stage.type = type;
    a.stage.direction = directions->front();
    a.stage.name = name.empty() ? impair::default_stage_name(type, a.stage.direction) : name;
    if (!check_stage_fits(a.stage, a.role, a.select, named.node, map.path("stage"))) {
      return std::nullopt;
    }
    return a;
  }

  std::optional<ActionBody> partition(const YAML::Node& node) {
    MapReader map(ctx, node, path);
    if (!map.ok()) return std::nullopt;
    PartitionAction a;
    const auto target = read_target(map);
    const bool ok = read_span(map, "for", a.duration, true);
    map.finish();
    if (!target || !ok) return std::nullopt;
    static_cast<LinkTarget&>(a) = *target;
    return a;
  }

  std::optional<ActionBody> storm(const YAML::Node& node) {
    MapReader map(ctx, node, path);
    if (!map.ok()) return std::nullopt;
    StormAction a;
    bool ok = true;
    std::optional<DeviceKind> kind;
    if (auto n = map.require("devices")) {
      if (auto k = read_choice(ctx, *n, map.path("devices"), {"hubs", "cameras"})) {
        kind = *k == 0 ? DeviceKind::hubs : DeviceKind::cameras;
      }
    }
    std::optional<Selector> select;
    if (kind) select = read_select(map, *kind);
    if (auto n = map.get("mode")) {
      if (auto m = read_choice(ctx, *n, map.path("mode"), {"all-at-once", "spread"})) {
        a.mode = *m == 0 ? StormAction::Mode::all_at_once : StormAction::Mode::spread;
      } else {
        ok = false;
      }
    }
    if (auto n = map.get("window")) {
      if (auto d = read_duration(ctx, *n, map.path("window")))
        a.window = *d;
      else
        ok = false;
      if (a.mode == StormAction::Mode::all_at_once && a.window.count() > 0) {
        ctx.error(*n, map.path("window"),
                  "`window` spreads the drops of `mode: spread`; with all-at-once every member "
                  "drops at `at` (remove it or set `mode: spread`)");
        ok = false;
      }
    }
    ok = map.read_into("down", a.down, read_duration) && ok;
    if (auto n = map.get("backoff")) {
      MapReader b(ctx, *n, map.path("backoff"));
      ok = b.read_into("initial", a.backoff_initial, read_positive_duration) && ok;
      ok = b.read_into("max", a.backoff_max, read_positive_duration) && ok;
      if (auto v = b.get("multiplier")) {
        if (auto x = read_number(ctx, *v, b.path("multiplier"))) {
          if (*x < 1 || *x > 10) {
            ctx.error(*v, b.path("multiplier"), "must be between 1 and 10");
            ok = false;
          } else {
            a.backoff_multiplier = *x;
          }
        } else {
          ok = false;
        }
      }
      ok = b.read_into("jitter", a.backoff_jitter, read_fraction) && ok;
      if (a.backoff_max < a.backoff_initial) {
        ctx.error(*n, b.path("max"), "must not be shorter than `initial`");
        ok = false;
      }
      if (a.mode == StormAction::Mode::all_at_once) {
        ctx.error(*n, map.path("backoff"),
                  "with `mode: all-at-once` every member redials at `at` + `down`; backoff "
                  "applies to `mode: spread`");
        ok = false;
      }
      b.finish();
    }
    if (ok) check_end(node, path, end_of(end_of(at, a.window), a.down));
    map.finish();
    if (!kind || !select || !ok) return std::nullopt;
    a.devices = *kind;
    a.select = *select;
    return a;
  }

  std::optional<ActionBody> sut(const YAML::Node& node) {
    if (!read_choice(ctx, node, path, {"restart"})) return std::nullopt;
    if (!scenario.sut.can_restart()) {
      ctx.error(node, path,
                "the external SUT has no `restart` command, so it cannot be restarted (add "
                "sut.restart)");
      return std::nullopt;
    }
    return SutRestartAction{};
  }

  template <typename Action>
  std::optional<ActionBody> share_or_revoke(const YAML::Node& node, const char* account_key) {
    MapReader map(ctx, node, path);
    if (!map.ok()) return std::nullopt;
    Action a;
    auto camera = map.require("camera");
    auto account = map.require(account_key);
    bool ok = camera && account;
    if (camera) {
      if (auto s = read_string(ctx, *camera, map.path("camera")))
        a.camera = *s;
      else
        ok = false;
    }
    if (account) {
      if (auto s = read_string(ctx, *account, map.path(account_key)))
        a.account = *s;
      else
        ok = false;
    }
    map.finish();
    if (!ok || !check_share_names(ctx, scenario.fleet, a.camera, *camera, map.path("camera"),
                                  a.account, *account, map.path(account_key))) {
      return std::nullopt;
    }
    return a;
  }

  std::optional<ActionBody> phase(const YAML::Node& node) {
    auto name = read_name(ctx, node, path);
    if (!name) return std::nullopt;
    return PhaseMarker{*name};
  }

  std::optional<ActionBody> body(size_t kind, const YAML::Node& node) {
    switch (kind) {
      case 0:
        return set(node);
      case 1:
        return clear(node);
      case 2:
        return ramp(node);
      case 3:
        return partition(node);
      case 4:
        return storm(node);
      case 5:
        return sut(node);
      case 6:
        return share_or_revoke<ShareAction>(node, "with");
      case 7:
        return share_or_revoke<RevokeAction>(node, "from");
      default:
        return phase(node);
    }
  }
};

// Phases tile [0, duration): "baseline" until the first marker, then one per marker.
void build_phases(Context& ctx, const YAML::Node& node, Scenario& s) {
  std::vector<const TimelineEntry*> markers;
  for (const auto& e : s.timeline) {
    if (std::holds_alternative<PhaseMarker>(e.body)) markers.push_back(&e);
  }
  std::set<std::string> names;
  if (markers.empty() || markers.front()->at > Micros{0}) {
    s.phases.push_back(Phase{.name = "baseline", .start = Micros{0}});
    names.insert("baseline");
  }
  for (const auto* m : markers) {
    const auto& name = std::get<PhaseMarker>(m->body).name;
    if (!names.insert(name).second) {
      ctx.error(make_mark(m->line, m->column), index_path("timeline", m->index) + ".phase",
                "phase \"" + name +
                    "\" is started twice (phase names are unique; \"baseline\" "
                    "is the implicit phase before the first marker)");
      continue;
    }
    if (!s.phases.empty() && s.phases.back().start == m->at) {
      ctx.error(make_mark(m->line, m->column), index_path("timeline", m->index) + ".phase",
                "phase \"" + name + "\" starts at the same time as phase \"" +
                    s.phases.back().name + "\", which would be empty");
      continue;
    }
    s.phases.push_back(Phase{.name = name, .start = m->at});
  }
  for (size_t i = 0; i < s.phases.size(); ++i) {
    s.phases[i].end = i + 1 < s.phases.size() ? s.phases[i + 1].start : s.duration;
  }
  (void)node;
}

}  // namespace

void read_timeline(Context& ctx, const YAML::Node& node, Scenario& scenario,
                   const impair::Registry& registry) {
  if (node.IsDefined() && !node.IsNull() && !node.IsSequence()) {
    ctx.error(node, "timeline", "expected a list of `- at: TIME` entries");
    build_phases(ctx, node, scenario);
    return;
  }
  std::map<std::string, int> default_ids;
  std::set<std::string> explicit_ids;
  for (size_t i = 0; node.IsDefined() && i < node.size(); ++i) {
    const std::string path = index_path("timeline", i);
    const YAML::Node item = node[i];
    MapReader map(ctx, item, path);
    if (!map.ok()) continue;
    EntryReader r{ctx, scenario, registry, Micros{0}, ""};
    bool ok = true;
    if (auto n = map.require("at")) {
      if (auto d = read_duration(ctx, *n, map.path("at"))) {
        r.at = *d;
        if (*d >= scenario.duration && scenario.duration.count() > 0) {
          ctx.error(*n, map.path("at"),
                    "is not before the end of the scenario (duration " +
                        units::format_duration(scenario.duration) + ")");
          ok = false;
        }
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    std::string id;
    if (auto n = map.get("id")) {
      if (auto s = read_name(ctx, *n, map.path("id"))) {
        if (!explicit_ids.insert(*s).second) {
          ctx.error(*n, map.path("id"), "id \"" + *s + "\" is used twice");
          ok = false;
        }
        id = *s;
      } else {
        ok = false;
      }
    }
    // Exactly one action key.
    std::vector<size_t> kinds;
    for (size_t k = 0; k < kKinds.size(); ++k) {
      if (map.has(kKinds[k])) kinds.push_back(k);
    }
    for (const auto& k : kKinds) map.known({k});
    map.finish(
        "an entry is `at`, an optional `id`, and one of set, clear, ramp, partition, "
        "storm, sut, share, revoke, phase");
    if (kinds.empty()) {
      ctx.error(item, path,
                "no action: give one of set, clear, ramp, partition, storm, sut, share, revoke, "
                "phase");
      continue;
    }
    if (kinds.size() > 1) {
      ctx.error(map.key_mark(kKinds[kinds[1]]), path + "." + kKinds[kinds[1]],
                "one action per entry: this entry already has `" + kKinds[kinds[0]] +
                    "` (write a second entry with the same `at`)");
      continue;
    }
    const std::string& kind = kKinds[kinds[0]];
    r.path = path + "." + kind;
    auto body = r.body(kinds[0], item[kind]);
    if (!body || !ok) continue;
    TimelineEntry entry;
    entry.at = r.at;
    entry.line = item.Mark().line + 1;
    entry.column = item.Mark().column + 1;
    entry.index = i;
    entry.body = std::move(*body);
    if (id.empty()) {
      // Default ids come from what the entry is and when, never from its position, so adding an
      // entry elsewhere does not change any other entry's random stream.
      const std::string base = kind + "@" + units::format_duration(r.at);
      const int n = ++default_ids[base];
      id = n == 1 ? base : base + "#" + std::to_string(n);
    }
    entry.id = id;
    scenario.timeline.push_back(std::move(entry));
  }
  std::stable_sort(scenario.timeline.begin(), scenario.timeline.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.at < b.at; });
  build_phases(ctx, node, scenario);
}

}  // namespace camleak::scenario::detail
