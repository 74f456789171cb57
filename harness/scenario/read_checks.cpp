// The `checks` section: the leak check (always on, always zero) and per-phase limits.
#include <algorithm>

#include "harness/core/suggest.hpp"
#include "harness/scenario/sections.hpp"

namespace camleak::scenario::detail {
namespace {

// Reads the limit keys of one map (top level of `checks`, or one phase) over `limits`.
void read_limits(MapReader& map, PhaseLimits& limits) {
  map.read_into("max_stall", limits.max_stall, read_positive_duration);
  map.read_into("max_recovery", limits.max_recovery, read_positive_duration);
  map.read_into("min_delivered_ratio", limits.min_delivered_ratio, read_fraction);
  map.read_into("freshness", limits.freshness, read_positive_duration);
  map.read_into("probes_refused", limits.probes_refused, read_bool);
}

// `liveness: off`, or a map refining the defaults.
void read_liveness(Context& ctx, const YAML::Node& node, const std::string& path,
                   LivenessLimits& limits) {
  if (node.IsScalar()) {
    const std::string text = scalar_text(node);
    if (text == "off" || text == "false") {
      limits.enabled = false;
      return;
    }
    if (text == "on" || text == "true") return;
    ctx.error(node, path,
              "expected off, on, or a map of first_frame, max_stall, fault_recovery, "
              "min_delivered_ratio");
    return;
  }
  MapReader map(ctx, node, path);
  if (!map.ok()) return;
  const std::pair<const char*, Micros*> durations[] = {{"first_frame", &limits.first_frame},
                                                       {"max_stall", &limits.max_stall},
                                                       {"fault_recovery", &limits.fault_recovery}};
  for (const auto& [key, field] : durations) map.read_into(key, *field, read_positive_duration);
  map.read_into("min_delivered_ratio", limits.min_delivered_ratio, read_fraction);
  map.finish();
}

}  // namespace

void read_checks(Context& ctx, const YAML::Node& node, Scenario& scenario) {
  // Phases first get the defaults; a `checks` section then refines them.
  auto apply_defaults = [&] {
    for (auto& p : scenario.phases) p.limits = scenario.checks.defaults;
  };
  if (!node.IsDefined()) {
    apply_defaults();
    return;
  }
  MapReader map(ctx, node, "checks");
  if (!map.ok()) return;
  if (auto n = map.get("leaks")) {
    // The whole point of camleak: a leak can never be tolerated, so only 0 is accepted.
    const std::string text = scalar_text(*n);
    if (!(n->IsScalar() && (text == "0"))) {
      ctx.error(*n, map.path("leaks"),
                "leaks must be 0: any frame or snapshot delivered to an account that may not see "
                "it fails the run, and this check cannot be relaxed or switched off (got " +
                    (n->IsScalar() ? "\"" + text + "\"" : std::string("a non-number")) + ")");
    }
  }
  read_limits(map, scenario.checks.defaults);
  apply_defaults();
  if (auto n = map.get("liveness"))
    read_liveness(ctx, *n, map.path("liveness"), scenario.checks.liveness);
  if (auto n = map.get("revoke_grace")) {
    if (auto d = read_duration(ctx, *n, map.path("revoke_grace"))) {
      if (*d < Micros{0})
        ctx.error(*n, map.path("revoke_grace"), "must not be negative");
      else
        scenario.checks.revoke_grace = *d;
    }
  }
  if (auto n = map.get("phases")) {
    MapReader phases(ctx, *n, map.path("phases"));
    std::vector<std::string> names;
    for (const auto& p : scenario.phases) names.push_back(p.name);
    for (const auto& key : phases.keys()) {
      auto value = phases.get(key);
      auto it = std::find_if(scenario.phases.begin(), scenario.phases.end(),
                             [&](const Phase& p) { return p.name == key; });
      if (it == scenario.phases.end()) {
        std::string list;
        for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
        ctx.error(phases.key_mark(key), phases.path(key),
                  "no phase named \"" + key + "\"" + did_you_mean(key, names) +
                      " (phases: " + list + ")");
        continue;
      }
      MapReader limits(ctx, *value, phases.path(key));
      if (!limits.ok()) continue;
      read_limits(limits, it->limits);
      limits.finish();
    }
    phases.finish();
  }
  map.finish();
}

}  // namespace camleak::scenario::detail
