#include <cstdio>

#include "harness/cli/commands.hpp"

namespace camleak::cli {

void add_version_command(CLI::App& app, CommandResult& result) {
  auto* cmd =
      app.add_subcommand("version", "Print the version and the libraries camleak was built with");
  cmd->callback([&result] {
    std::printf("camleak %s\n", CAMLEAK_VERSION);
    result.exit_code = 0;
  });
}

}  // namespace camleak::cli
