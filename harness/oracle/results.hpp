#pragma once
// Everything the oracle concludes about a run, produced once by Oracle::finish().
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/observation.hpp"
#include "harness/oracle/checks.hpp"
#include "harness/oracle/recovery_tracker.hpp"
#include "harness/oracle/verdict.hpp"

namespace camleak::oracle {

// One hub watching one camera, over one phase it was active in.
struct StreamPhaseMetrics {
  std::string hub;
  std::string camera;
  std::string phase;
  uint64_t sent = 0;       // frames the camera sent in the phase while the stream existed
  uint64_t delivered = 0;  // frames of that camera the hub received (duplicates excluded)
  std::optional<double> delivered_ratio;  // delivered / sent; absent when nothing was sent
  uint64_t freezes = 0;
  Micros freeze_total{0};
  Micros max_stall{0};
  uint64_t reorders = 0;
  uint64_t duplicates = 0;
  uint64_t stale = 0;
};

// One entitled stream over the whole run: what the liveness checks judge (LivenessTracker).
struct StreamLiveness {
  std::string hub;
  std::string account;
  std::string camera;
  std::optional<Micros> first_frame;  // worst time to first frame; absent: nothing judged
  bool first_frame_missing = false;   // an entitlement passed its bound without any frame
  uint64_t sent = 0;                  // frames captured outside excused time while entitled
  uint64_t delivered = 0;             // of those, received
  std::optional<double> delivered_ratio;
  Micros max_stall{0};  // longest gap outside excused time
  Micros max_stall_from{0};
  uint64_t freezes = 0;  // libwebrtc's rule, over the run
  Micros freeze_total{0};
};

// How long after a revoke the sharee's hub kept receiving the camera (revoke enforcement).
struct RevokeEnforcement {
  std::string camera;
  std::string account;
  std::string hub;
  Micros revoked_at{0};       // the scenario's time of the revoke
  uint64_t frames_after = 0;  // frames and snapshots of the camera received after it
  Micros latency{0};          // last of those minus revoked_at; 0 when none came
};

// Authorization probes, per phase (by invocation time) and for the whole run ("run").
struct ProbeStats {
  std::string phase;
  uint64_t total = 0;
  uint64_t refused = 0;           // fail with 401, 403 or 404
  uint64_t not_refused = 0;       // ok: the SUT answered with media (a violation)
  uint64_t unknown = 0;           // info: outcome unknown, never judged
  uint64_t failed_otherwise = 0;  // fail with another status (e.g. 503 during a restart)
};

// Jepsen-style completion counts per operation type, per phase and for the whole run ("run").
struct OperationCounts {
  std::string phase;
  OperationType type = OperationType::play;
  uint64_t ok = 0;
  uint64_t fail = 0;
  uint64_t info = 0;
};

// OK or STALE live frames a hub received per bucket of `Results::rate_bucket`, from time 0.
struct HubRateSeries {
  std::string hub;
  std::vector<uint32_t> frames;
};

// Verdict counts of the observations delivered in one phase.
struct PhaseVerdicts {
  std::string phase;
  std::array<uint64_t, kVerdictKinds> counts{};
  Micros max_age{0};    // oldest delivery age in the phase (a lower bound for snapshots)
  Micros freshness{0};  // the bound that applied in the phase
  uint64_t count(VerdictKind kind) const { return counts[static_cast<size_t>(kind)]; }
};

struct Results {
  std::array<uint64_t, kVerdictKinds> counts{};  // indexed by VerdictKind
  std::vector<PhaseVerdicts> phase_verdicts;     // one per phase, in phase order
  std::vector<Finding> findings;                 // every non-OK verdict, up to the configured cap
  uint64_t findings_dropped = 0;                 // non-OK verdicts past the cap (still counted)
  std::vector<StreamPhaseMetrics> streams;
  std::vector<StreamLiveness> liveness;  // every entitled stream (liveness checks enabled)
  std::vector<std::string> unpublished;  // cameras that never published successfully
  std::vector<RevokeEnforcement> revokes;
  std::vector<Recovery> recoveries;
  std::vector<Operation> probe_violations;  // probes completed ok, up to the cap
  std::vector<ProbeStats> probes;
  std::vector<OperationCounts> operations;
  std::vector<CheckResult> checks;
  Micros rate_bucket{0};
  std::vector<HubRateSeries> frame_rates;
  Micros run_end{0};

  uint64_t count(VerdictKind kind) const { return counts[static_cast<size_t>(kind)]; }
  bool passed() const {
    for (const auto& check : checks)
      if (!check.passed) return false;
    return true;
  }
};

}  // namespace camleak::oracle
