#pragma once
// The figures a certification report shows for one run of a test: what was judged, what was
// found, and the liveness, probe and revoke numbers beside the plan's budgets. Pure.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reports/run_record.hpp"

namespace camleak::certify {

struct RunFigures {
  uint64_t frames_checked = 0;  // every verdict
  uint64_t leaks = 0, splices = 0, forgeries = 0, stale = 0, unverifiable = 0;
  std::optional<double> worst_first_frame_ms;  // over entitled streams
  std::optional<double> worst_stall_ms;        // outside fault windows
  std::optional<double> worst_delivered_ratio;
  uint64_t probes = 0, probes_refused = 0, probe_violations = 0, probes_unknown = 0;
  std::optional<double> worst_revoke_latency_ms;
  uint64_t sut_calls_refused = 0;
};

RunFigures figures_of(const reports::RunRecord& record);
boost::json::value to_json(const RunFigures& figures);
RunFigures figures_from_json(const boost::json::value& json);

// One seed of one test.
struct SeedRun {
  uint64_t seed = 0;
  int exit_code = 0;                  // the run's: 0 pass, 1 a check failed, 2, 3
  std::string verdict;                // PASS, FAIL, ERROR
  std::string report_dir;             // relative to the certification directory
  std::vector<std::string> problems;  // failed checks and harness errors, one line each
  RunFigures figures;
};

SeedRun seed_run_of(uint64_t seed, const reports::RunRecord& record, int exit_code,
                    std::string report_dir);
boost::json::value to_json(const SeedRun& run);
SeedRun seed_run_from_json(const boost::json::value& json);

}  // namespace camleak::certify
