// `camleak run PATH... [--seed N] [--report DIR] [--suite] [--jobs N] [--quiet|--json]`: run
// scenarios.
#include <csignal>
#include <cstdio>
#include <memory>

#include "harness/cli/commands.hpp"
#include "harness/runner/suite.hpp"
#include "harness/scenario/adapter_loader.hpp"

namespace camleak::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) {
  g_interrupted.store(true);
}

}  // namespace

void add_run_command(CLI::App& app, CommandResult& result) {
  struct Args {
    std::vector<std::string> paths;
    std::optional<uint64_t> seed;
    std::string report = "camleak-report";
    bool no_report = false;
    bool suite = false;
    bool no_defects = false;
    bool quiet = false;
    bool json = false;
    size_t jobs = 1;
    std::string adapter;
  };
  auto args = std::make_shared<Args>();
  auto* cmd =
      app.add_subcommand("run", "Run scenario files, or every scenario in a directory (a suite)");
  cmd->add_option("paths", args->paths, "Scenario files or directories")->required();
  cmd->add_option("--seed", args->seed, "Seed for every scenario (overrides the files' seeds)");
  cmd->add_option("--report", args->report,
                  "Report directory (one subdirectory per scenario in a suite)");
  cmd->add_flag("--no-report", args->no_report, "Write no report files");
  cmd->add_flag("--suite", args->suite,
                "Judge scenarios whose built-in relay has defect switches as detection checks: "
                "they must FAIL "
                "with LEAK, and the exit code is 0 when every scenario met its expectation");
  cmd->add_flag(
      "--no-defects", args->no_defects,
      "Switch off every defect of the built-in relay (the control run of an incident scenario)");
  cmd->add_option("-j,--jobs", args->jobs, "Scenarios to run at the same time")
      ->check(CLI::Range(size_t{1}, size_t{16}));
  cmd->add_option("--adapter", args->adapter,
                  "Adapter file (or `contract`) that replaces every scenario's sut.adapter");
  cmd->add_flag("-q,--quiet", args->quiet, "Only verdicts and repro commands");
  cmd->add_flag("--json", args->json, "One JSON event per line instead of text");
  cmd->callback([args, &result] {
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    std::signal(SIGPIPE, SIG_IGN);
    const auto files = runner::collect_scenario_files(args->paths);
    runner::Progress progress(runner::choose_progress_style(args->quiet, args->json, stdout),
                              stdout);
    runner::SuiteOptions options;
    options.run.seed = args->seed;
    options.run.report_dir = args->no_report ? "" : args->report;
    options.expectations = args->suite;
    options.no_defects = args->no_defects;
    options.jobs = args->jobs;
    if (!args->adapter.empty()) {
      options.adapter = scenario::resolve_adapter(args->adapter, "");
      options.run.repro_prefix += " --adapter " + args->adapter;
    }
    result.exit_code = runner::run_suite(files, options, progress, g_interrupted);
  });
}

}  // namespace camleak::cli
