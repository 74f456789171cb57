#pragma once
// One scenario, end to end: start the SUT, provision it, create a proxy link per device and
// role, start the fleet, play the timeline on the real clock, judge every delivered frame,
// stop at `duration`, tear everything down, write the report. The steps are RunSession's
// (run_session.hpp); this is the entry point the CLI and the suite call.
#include <atomic>
#include <optional>
#include <string>

#include "harness/runner/progress.hpp"
#include "harness/scenario/scenario.hpp"
#include "reports/evidence_collector.hpp"
#include "reports/run_record.hpp"

namespace camleak::runner {

struct RunOptions {
  std::optional<uint64_t> seed;  // overrides the scenario's seed
  std::string report_dir;        // this scenario's report directory ("" = no report files)
  std::string repro_prefix = "camleak run";
  reports::EvidenceLimits evidence_limits;  // pictures and pcaps saved per run
  // Tap rings (for pcap evidence) are kept when the fleet has at most this many devices.
  size_t max_devices_for_pcap = 200;
};

struct RunOutcome {
  int exit_code = 0;  // 0 pass, 1 a check failed, 3 the harness failed
  reports::RunRecord record;
};

// Never throws for a run that started: harness failures become exit code 3 with the error in
// record.harness_errors. `interrupted` (set from a signal handler) ends the run early.
RunOutcome run_scenario(const scenario::Scenario& scenario, const RunOptions& options,
                        Progress& progress, const std::atomic<bool>& interrupted);

// Seed to use: the option, else the scenario's, else a fresh random one.
uint64_t choose_seed(const scenario::Scenario& scenario, const RunOptions& options);

}  // namespace camleak::runner
