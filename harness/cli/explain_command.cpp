// `camleak explain FILE [--seed N]`: the resolved scenario and its full fault schedule (every
// fault, storm member and action with its time) for one seed.
#include <cstdio>
#include <optional>
#include <string>

#include "harness/cli/commands.hpp"
#include "harness/scenario/describe.hpp"
#include "harness/scenario/loader.hpp"
#include "harness/schedule/timeline.hpp"

namespace camleak::cli {

void add_explain_command(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("explain", "Print a scenario's resolved schedule for a seed");
  auto file = std::make_shared<std::string>();
  auto seed = std::make_shared<std::optional<uint64_t>>();
  cmd->add_option("file", *file, "Scenario file (YAML)")->required();
  cmd->add_option("--seed", *seed, "Seed (default: the file's `seed`, else 0)");
  cmd->callback([file, seed, &result] {
    const auto s = scenario::load_scenario_file(*file);
    const uint64_t chosen = seed->value_or(s.seed.value_or(0));
    std::string text = scenario::describe(s);
    text += "\nschedule (seed " + std::to_string(chosen) +
            (seed->has_value() ? ", from --seed"
             : s.seed          ? ", from the file"
                               : ", default") +
            "):\n";
    text += schedule::resolve(s, chosen).to_text();
    std::fwrite(text.data(), 1, text.size(), stdout);
    result.exit_code = 0;
  });
}

}  // namespace camleak::cli
