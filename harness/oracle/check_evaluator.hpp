#pragma once
// Turns aggregated results into pass/fail lines. Pure function of its inputs.
//
// Always evaluated: "no_leaks" for every phase and for the whole run ("run"); with
// Checks::integrity, "no_splices" and "no_forgeries" for the whole run. Per PhaseChecks, when set:
//  - max_stall: the longest stall of any live stream in the phase (ms);
//  - max_recovery: the slowest recovery of any hub from a fault that ended in the phase (ms);
//    a hub that never recovered fails it;
//  - min_delivered_ratio: the lowest delivered/sent ratio of any stream the camera sent to;
//  - freshness: no STALE verdict in the phase (measured: oldest frame age, ms);
//  - probes_refused: no authorization probe completed ok (info outcomes are not judged).
// With Checks::liveness enabled, over the whole run: frames_judged (at least one),
// cameras_published (every one of `cameras` published at least once), time_to_first_frame,
// max_stall_outside_faults and delivered_ratio_outside_faults (the worst entitled stream against
// each limit). When the run had revokes: revoke_grace (no hub received a revoked camera longer than
// `revoke_grace_limit` after the revoke; with a limit of 0, not at all).
#include <vector>

#include "harness/oracle/checks.hpp"
#include "harness/oracle/phase_index.hpp"
#include "harness/oracle/results.hpp"

namespace camleak::oracle {

std::vector<CheckResult> evaluate_checks(const Results& results, const Checks& checks,
                                         const PhaseIndex& phases, size_t cameras = 0,
                                         Micros revoke_grace_limit = Micros{0});

}  // namespace camleak::oracle
