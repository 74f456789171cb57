#include "harness/scenario/loader.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "harness/core/units.hpp"
#include "harness/scenario/sections.hpp"
#include "harness/scenario/yaml_reader.hpp"

namespace camleak::scenario {
namespace {

using detail::Context;
using detail::MapReader;

std::optional<uint64_t> read_seed(Context& ctx, const YAML::Node& node) {
  const std::string text = detail::scalar_text(node);
  uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (!node.IsScalar() || text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    ctx.error(node, "seed", "expected a whole number between 0 and 18446744073709551615");
    return std::nullopt;
  }
  return v;
}

// One open/close of visibility of a camera to an account, from either source.
struct ShareEvent {
  Micros at{};
  bool open = true;
  std::string camera;
  std::string account;
  std::string source;  // "shares[2]" or a timeline id
  YAML::Mark mark;
  std::string field;
};

// Merges the `shares` section and the timeline's share/revoke entries into intervals, checking
// that nothing is shared twice or revoked while not shared.
void merge_shares(Context& ctx, const std::vector<detail::SectionShare>& section_shares,
                  Scenario& s) {
  std::vector<ShareEvent> events;
  for (const auto& [sh, node] : section_shares) {
    if (s.duration.count() > 0 && sh.from >= s.duration) {
      ctx.error(node["from"], sh.source + ".from", "is not before the end of the scenario");
      continue;
    }
    events.push_back({sh.from, true, sh.camera, sh.account, sh.source, node.Mark(), sh.source});
    if (sh.until) {
      events.push_back(
          {*sh.until, false, sh.camera, sh.account, sh.source, node.Mark(), sh.source + ".until"});
    }
  }
  for (const auto& e : s.timeline) {
    const YAML::Mark mark = detail::make_mark(e.line, e.column);
    const std::string path = detail::index_path("timeline", e.index);
    if (const auto* a = std::get_if<ShareAction>(&e.body)) {
      events.push_back({e.at, true, a->camera, a->account, e.id, mark, path + ".share"});
    } else if (const auto* r = std::get_if<RevokeAction>(&e.body)) {
      events.push_back({e.at, false, r->camera, r->account, e.id, mark, path + ".revoke"});
    }
  }
  // At equal times a revoke comes before a share, so "revoke at 10s, share again at 10s" works.
  std::stable_sort(events.begin(), events.end(), [](const ShareEvent& a, const ShareEvent& b) {
    return std::pair(a.at, a.open) < std::pair(b.at, b.open);
  });
  std::map<std::pair<std::string, std::string>, size_t> open;  // -> index in s.shares
  for (const auto& e : events) {
    const auto key = std::pair(e.camera, e.account);
    auto it = open.find(key);
    if (e.open) {
      if (it != open.end()) {
        ctx.error(e.mark, e.field,
                  "camera \"" + e.camera + "\" is already shared with \"" + e.account + "\" at " +
                      units::format_duration(e.at) + " (by " + s.shares[it->second].source + ")");
        continue;
      }
      open[key] = s.shares.size();
      s.shares.push_back(Share{e.camera, e.account, e.at, std::nullopt, e.source});
    } else {
      if (it == open.end()) {
        ctx.error(e.mark, e.field,
                  "camera \"" + e.camera + "\" is not shared with \"" + e.account + "\" at " +
                      units::format_duration(e.at) + ", so there is nothing to revoke");
        continue;
      }
      s.shares[it->second].until = e.at;
      open.erase(it);
    }
  }
  std::stable_sort(s.shares.begin(), s.shares.end(), [](const Share& a, const Share& b) {
    return std::tie(a.from, a.camera, a.account) < std::tie(b.from, b.camera, b.account);
  });
}

}  // namespace

const std::vector<std::string>& top_level_keys() {
  static const std::vector<std::string> keys{"name",  "description", "seed",  "duration", "sut",
                                             "fleet", "shares",      "links", "timeline", "checks"};
  return keys;
}

Scenario load_scenario_text(std::string_view text, const std::string& file,
                            const impair::Registry& registry) {
  Context ctx(file);
  YAML::Node root;
  try {
    // Several documents in one file (`---`) would silently drop all but the first.
    const auto documents = YAML::LoadAll(std::string(text));
    for (size_t i = 1; i < documents.size(); ++i) {
      if (documents[i].IsNull()) continue;
      ctx.error(documents[i], "",
                "a scenario file holds one YAML document; this is another one (after `---`)");
      throw InputError(ctx.take());
    }
    if (!documents.empty()) root = documents.front();
  } catch (const YAML::ParserException& e) {
    ctx.error(e.mark, "", "YAML syntax error: " + e.msg);
    throw InputError(ctx.take());
  }
  if (!root.IsMap()) {
    ctx.error(root, "",
              "a scenario file is a mapping of top-level keys (name, duration, fleet, ...)");
    throw InputError(ctx.take());
  }
  Scenario s;
  s.file = file;
  MapReader top(ctx, root, "");
  if (auto n = top.require("name")) {
    if (auto v = detail::read_string(ctx, *n, "name")) {
      if (v->empty()) ctx.error(*n, "name", "must not be empty");
      s.name = *v;
    }
  }
  if (auto n = top.get("description")) {
    if (auto v = detail::read_string(ctx, *n, "description")) s.description = *v;
  }
  if (auto n = top.get("seed")) s.seed = read_seed(ctx, *n);
  if (auto n = top.require("duration")) {
    if (auto d = detail::read_positive_duration(ctx, *n, "duration")) s.duration = *d;
  }
  if (auto n = top.get("sut")) detail::read_sut(ctx, *n, s.sut);

  const size_t errors_before_fleet = ctx.error_count();
  if (auto n = top.require("fleet")) detail::read_fleet(ctx, *n, s.fleet);
  if (s.fleet.cameras.empty() && ctx.error_count() > errors_before_fleet) {
    ctx.names_checkable = false;
  }
  std::vector<detail::SectionShare> section_shares;
  if (auto n = top.get("shares")) detail::read_shares(ctx, *n, s.fleet, section_shares);
  detail::read_links(ctx, top.get("links").value_or(YAML::Node()), s.fleet, registry, s.links);
  detail::read_timeline(ctx, top.get("timeline").value_or(YAML::Node()), s, registry);
  detail::read_checks(ctx, top.get("checks").value_or(YAML::Node()), s);
  if (ctx.names_checkable) merge_shares(ctx, section_shares, s);
  top.finish();
  auto diagnostics = ctx.take();
  if (!diagnostics.empty()) throw InputError(std::move(diagnostics));
  return s;
}

Scenario load_scenario_file(const std::string& path, const impair::Registry& registry) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Diagnostic{.file = path, .message = "cannot open the file"});
  std::ostringstream text;
  text << in.rdbuf();
  return load_scenario_text(text.str(), path, registry);
}

std::optional<ScenarioSummary> read_summary(const std::string& path) {
  try {
    const YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap() || !root["name"] || !root["name"].IsScalar()) return std::nullopt;
    ScenarioSummary summary{root["name"].Scalar(), ""};
    if (root["description"] && root["description"].IsScalar()) {
      summary.description = root["description"].Scalar();
    }
    return summary;
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

}  // namespace camleak::scenario
