#pragma once
// Several scenarios run one after another (files, or directories searched recursively), with
// a summary. In suite mode a scenario whose built-in relay has defect switches on is a
// detection check: it is expected to FAIL with LEAK, and the suite passes when it does.
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "harness/runner/progress.hpp"
#include "harness/runner/run.hpp"
#include "harness/scenario/adapter.hpp"

namespace camleak::runner {

// Scenario files named by `paths` (a directory contributes every *.yaml/*.yml below it that
// has a `name`), sorted, without duplicates. Throws InputError for a path that does not exist.
std::vector<std::string> collect_scenario_files(const std::vector<std::string>& paths);

struct SuiteOptions {
  RunOptions run;             // report_dir is the root: each scenario gets a subdirectory
  bool expectations = false;  // judge defect scenarios as detections, and run each again with
                              // its defects off, expecting a PASS
  bool no_defects = false;    // switch every built-in relay defect off
  size_t jobs = 1;            // scenarios run at the same time (each is mostly idle waiting
                              // on its real-time timeline)
  // Replaces every scenario's `sut.adapter` (`camleak run --adapter`).
  std::optional<scenario::Adapter> adapter;
};

struct SuiteEntry {
  std::string file;
  std::string name;
  uint64_t seed = 0;
  int exit_code = 0;
  uint64_t leaks = 0;
  bool expect_detection = false;
  bool as_expected = false;
  std::string report_dir;
  // Why the scenario was not run: it needs what the SUT does not offer (capabilities.hpp).
  std::string not_applicable;
};

// Loads (validates) every file first: any bad file stops everything with InputError (exit 2)
// before anything starts. Then runs them (`jobs` at a time, taken in order) and returns the exit
// code of the suite: without expectations the worst code (3 > 2 > 1 > 0); with them 0 when every
// scenario met its expectation, 1 otherwise, 3 when the harness failed. A scenario that needs
// what the SUT does not offer is not run and is listed as not applicable with the reason; when
// no scenario is applicable the suite proved nothing: exit 2 (the SUT cannot run what was asked).
int run_suite(const std::vector<std::string>& files, const SuiteOptions& options,
              Progress& progress, const std::atomic<bool>& interrupted,
              std::vector<SuiteEntry>* entries = nullptr);

}  // namespace camleak::runner
