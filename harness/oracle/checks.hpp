#pragma once
// The time structure of a run (named phases, fault windows) and the thresholds the scenario
// sets per phase, plus the pass/fail lines the oracle produces from them.
#include <optional>
#include <string>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/oracle/verdict.hpp"

namespace camleak::oracle {

// A named window [start, end) of the run clock. Phases may overlap (a whole-run phase next to
// per-fault phases); an observation counts toward every phase that contains it.
struct Phase {
  std::string name;
  Micros start{0};
  Micros end{0};
  bool contains(Micros t) const { return start <= t && t < end; }
};

// One injected fault (partition, loss burst, SUT restart...) as the resolved schedule placed
// it; recovery time is measured from `end` per hub.
struct FaultWindow {
  std::string name;  // e.g. "partition uplink"
  std::string link;  // "" for run-level faults (SUT restart)
  Micros start{0};
  Micros end{0};
  // Devices (hubs, cameras) whose traffic it impairs; empty = every device (a SUT restart).
  // A stream's liveness is excused while a fault on its hub or its camera is active.
  std::vector<std::string> devices;
};

// Thresholds for one phase; a check that is not set is not evaluated. Leaks are always checked.
struct PhaseChecks {
  std::string phase;
  std::optional<Micros> max_stall;            // longest time a stream went without a new frame
  std::optional<Micros> max_recovery;         // first OK delivery after a fault ending here
  std::optional<double> min_delivered_ratio;  // frames delivered / frames the camera sent
  std::optional<Micros> freshness;            // overrides GroundTruth::freshness in the phase
  bool probes_refused = false;                // every authorization probe must be refused
};

// Whole-run liveness of every entitled stream (see LivenessTracker) and of every camera's
// publishing; off unless enabled (the scenario layer enables it by default).
struct LivenessChecks {
  bool enabled = false;
  Micros first_frame = std::chrono::seconds(10);
  Micros max_stall = std::chrono::seconds(10);
  Micros fault_recovery = std::chrono::seconds(10);  // excused after each fault on the path
  double min_delivered_ratio = 0.5;
};

struct Checks {
  std::vector<PhaseChecks> phases;
  LivenessChecks liveness;
  // SPLICE and FORGED verdicts fail the run (integrity), checked over the whole run.
  bool integrity = true;
};

// One pass/fail line: what was checked, where, what was measured against which limit.
// Durations are in milliseconds, ratios in [0, 1], counts as plain numbers (see `unit`).
struct CheckResult {
  std::string check;  // "no_leaks", "max_stall", "max_recovery", "min_delivered_ratio", ...
  std::string phase;  // phase name, or "run" for whole-run checks
  bool passed = true;
  double measured = 0;
  double limit = 0;
  std::string unit;     // "count", "ms" or "ratio"
  std::string message;  // one line a person can act on
  // The evidence behind a failure, for reports to list beside the message: the findings of
  // this verdict kind (no_leaks, no_splices, no_forgeries, freshness) ...
  std::optional<VerdictKind> findings;
  // ... or the authorization probes answered with media (probes_refused).
  bool lists_probe_violations = false;
};

}  // namespace camleak::oracle
