#pragma once
// The explicit list of subcommands. Each add_*_command is defined in its own file.
#include "harness/cli/command.hpp"

namespace camleak::cli {

void add_version_command(CLI::App& app, CommandResult& result);
void add_relay_command(CLI::App& app, CommandResult& result);
void add_validate_command(CLI::App& app, CommandResult& result);
void add_list_command(CLI::App& app, CommandResult& result);
void add_explain_command(CLI::App& app, CommandResult& result);
void add_proxy_command(CLI::App& app, CommandResult& result);
void add_run_command(CLI::App& app, CommandResult& result);
void add_keygen_command(CLI::App& app, CommandResult& result);
void add_verify_command(CLI::App& app, CommandResult& result);
void add_certify_command(CLI::App& app, CommandResult& result);

inline void add_all_commands(CLI::App& app, CommandResult& result) {
  add_version_command(app, result);
  add_relay_command(app, result);
  add_validate_command(app, result);
  add_list_command(app, result);
  add_explain_command(app, result);
  add_proxy_command(app, result);
  add_run_command(app, result);
  add_keygen_command(app, result);
  add_verify_command(app, result);
  add_certify_command(app, result);
}

}  // namespace camleak::cli
