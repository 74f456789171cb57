#pragma once
// Each subcommand lives in its own <name>_command.cpp and is wired into main.cpp by one
// explicit call. A command's callback stores its exit code in `exit_code`; exceptions are
// turned into messages and exit codes in main.cpp only.
#include <CLI/CLI.hpp>

namespace camleak::cli {

struct CommandResult {
  int exit_code = 0;
};

}  // namespace camleak::cli
