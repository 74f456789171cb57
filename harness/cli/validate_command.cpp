// `camleak validate FILE...`: checks scenario files without starting anything.
// Exit 0 when every file is valid, 2 when any is not (every problem of every file is printed).
#include <cstdio>
#include <string>
#include <vector>

#include "harness/cli/commands.hpp"
#include "harness/core/errors.hpp"
#include "harness/scenario/loader.hpp"

namespace camleak::cli {

void add_validate_command(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("validate", "Check scenario files and list every problem");
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("files", *files, "Scenario files (YAML)")->required();
  cmd->callback([files, &result] {
    int failed = 0;
    for (const auto& file : *files) {
      try {
        const auto s = scenario::load_scenario_file(file);
        std::printf("%s: ok (%s: %zu accounts, %zu cameras, %zu hubs, %zu timeline entries)\n",
                    file.c_str(), s.name.c_str(), s.fleet.accounts.size(), s.fleet.cameras.size(),
                    s.fleet.hubs.size(), s.timeline.size());
      } catch (const InputError& e) {
        ++failed;
        std::fprintf(stderr, "%s\n", e.what());
        std::fprintf(stderr, "%s: %zu problem%s\n", file.c_str(), e.diagnostics().size(),
                     e.diagnostics().size() == 1 ? "" : "s");
      }
    }
    result.exit_code = failed ? static_cast<int>(ExitCode::bad_input) : 0;
  });
}

}  // namespace camleak::cli
