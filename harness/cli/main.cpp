// camleak: network fault-injection test harness for camera/hub video systems.
// This file only wires subcommands and turns exceptions into exit codes (DESIGN.md).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "harness/cli/command.hpp"
#include "harness/cli/commands.hpp"
#include "harness/core/errors.hpp"

#ifndef CAMLEAK_VERSION
#define CAMLEAK_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  using camleak::ExitCode;
  CLI::App app{"camleak: fault-injection test harness that catches cross-account video leaks"};
  app.set_version_flag("--version", std::string("camleak ") + CAMLEAK_VERSION);
  app.require_subcommand(1);
  camleak::cli::CommandResult result;
  camleak::cli::add_all_commands(app, result);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // CLI11 uses 0 for --help/--version; every real usage error is bad input.
    return code == 0 ? 0 : static_cast<int>(ExitCode::bad_input);
  } catch (const camleak::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return static_cast<int>(ExitCode::bad_input);
  } catch (const camleak::HarnessError& e) {
    std::fprintf(stderr, "camleak: %s\n", e.what());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "camleak: internal error: %s\n", e.what());
    return static_cast<int>(ExitCode::harness_failed);
  } catch (...) {
    std::fprintf(stderr, "camleak: internal error: an unknown exception\n");
    return static_cast<int>(ExitCode::harness_failed);
  }
  return result.exit_code;
}
