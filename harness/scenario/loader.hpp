#pragma once
// Scenario files in, validated Scenario out. Every problem is collected (file:line:col, dotted
// field path, did-you-mean for unknown keys and names) and thrown together as one InputError;
// nothing is started on error, because nothing here starts anything.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/impair/registry.hpp"
#include "harness/scenario/scenario.hpp"

namespace camleak::scenario {

// Reads and validates `path`. Throws InputError (every problem, ordered by position).
Scenario load_scenario_file(const std::string& path,
                            const impair::Registry& registry = impair::Registry::builtin());
// Same for text already in memory; `file` is the name used in messages.
Scenario load_scenario_text(std::string_view text, const std::string& file,
                            const impair::Registry& registry = impair::Registry::builtin());

// Name and description only, for `camleak list`: nullopt when the file is not YAML or has no
// `name` (so it is not a scenario).
struct ScenarioSummary {
  std::string name;
  std::string description;
};
std::optional<ScenarioSummary> read_summary(const std::string& path);

// Every key accepted at the top level of a scenario file (schema.json must name them all).
const std::vector<std::string>& top_level_keys();

}  // namespace camleak::scenario
