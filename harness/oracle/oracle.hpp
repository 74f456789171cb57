#pragma once
// The frame oracle: observations in, verdicts out. Pure: no I/O, no clock of its own; all time
// comes from the observations and from finish(run_end).
//
// Online use: the run loop calls judge() for every delivered frame or snapshot as it arrives,
// record() for every completed operation, record_sent() for every frame a camera sent (or
// add_sent() with per-phase totals), and finish() once at the end. judge() is O(1) in the number
// of observations (hash lookups plus a scan over the few phases); only non-OK verdicts are kept
// in full (up to a cap), everything else is aggregated as it arrives.
//
// Thread-compatible: const methods may run concurrently; calls that change the oracle need
// external synchronization (one mutex around judge/record is enough).
#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "harness/core/observation.hpp"
#include "harness/oracle/checks.hpp"
#include "harness/oracle/ground_truth.hpp"
#include "harness/oracle/liveness_tracker.hpp"
#include "harness/oracle/phase_index.hpp"
#include "harness/oracle/recovery_tracker.hpp"
#include "harness/oracle/results.hpp"
#include "harness/oracle/sent_counter.hpp"
#include "harness/oracle/stream_tracker.hpp"
#include "harness/oracle/verdict.hpp"

namespace camleak::oracle {

struct OracleOptions {
  size_t max_findings = 10'000;         // non-OK verdicts kept in full; the rest only counted
  size_t max_probe_violations = 1'000;  // probe operations answered ok kept in full
  Micros rate_bucket = std::chrono::seconds(1);
  size_t max_rate_buckets = 100'000;  // frames later than bucket x this are not plotted
};

class Oracle {
 public:
  // Throws InputError when the ground truth, phases, faults or checks are inconsistent (a check
  // naming an unknown phase, a phase called "run", ...), naming the field.
  Oracle(GroundTruth truth, std::vector<Phase> phases, std::vector<FaultWindow> faults,
         Checks checks, OracleOptions options = {});

  Verdict judge(const Observation& observation);
  void record(const Operation& operation);
  // `frames` frames of `camera` were sent at `at`. Feed in time order, as they are sent and
  // before the frames are judged: the newest send also bounds how fresh a snapshot can be.
  void record_sent(std::string_view camera, Micros at, uint64_t frames = 1);
  // Bulk alternative: the camera sent `frames` frames during `phase`.
  void add_sent(std::string_view camera, std::string_view phase, uint64_t frames);

  // Closes open spans at `run_end` and evaluates every check.
  Results finish(Micros run_end);

  uint64_t count(VerdictKind kind) const { return counts_[static_cast<size_t>(kind)]; }
  const Visibility& visibility() const { return visibility_; }
  const PhaseIndex& phases() const { return phases_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using NameMap = std::unordered_map<std::string, V, Hash, std::equal_to<>>;

  // Frames sent while a stream is paused (outside its expected windows: a sharee after the
  // revoke) are not charged to it. Pauses are bounded by window edges after the stream's start;
  // each edge is settled once the camera's sends have passed it.
  struct Stream {
    StreamTracker tracker;
    std::vector<uint64_t> sent_baseline;  // per phase: sent frames not charged to the stream
    std::vector<Micros> edges;            // window edges after the start, in time order
    size_t next_edge = 0;
    bool paused = false;              // outside every expected window right now
    std::vector<uint64_t> paused_at;  // per-phase sent counts when the pause began
  };
  struct OperationTally {
    std::array<std::array<uint64_t, 3>, 5> by_type{};  // [OperationType][CompletionType]
  };

  struct Liveness {
    std::string hub;
    std::string account;
    std::string camera;
    LivenessTracker tracker;
  };

  Micros freshness_at(Micros t) const;
  void add_liveness(const HubTruth& hub, const std::vector<FaultWindow>& faults);
  void add_revokes(const HubTruth& hub);
  void track_revokes(const Observation& observation, const Verdict& verdict);
  std::vector<StreamLiveness> liveness_results(Micros run_end) const;
  // The stream of `hub` (logged in as `account`) watching `camera`, created as starting at
  // `started` when new.
  Stream& stream(std::string_view hub, std::string_view account, std::string_view camera,
                 Micros started);
  // Settles the window edges of `s` that lie before `now`, from the camera's sends.
  void settle_edges(Stream& s, const SentCounter& sent, Micros now) const;
  void count_probe(const Operation& operation);
  void plot(std::string_view hub, Micros at);

  Visibility visibility_;
  PhaseIndex phases_;
  RecoveryTracker recovery_;
  Checks checks_;
  OracleOptions options_;
  std::vector<std::optional<Micros>> phase_freshness_;  // per phase, from Checks

  std::array<uint64_t, kVerdictKinds> counts_{};
  std::vector<PhaseVerdicts> phase_verdicts_;
  std::vector<Finding> findings_;
  uint64_t findings_dropped_ = 0;
  NameMap<NameMap<Stream>> streams_;        // hub -> requested camera -> stream
  NameMap<SentCounter> sent_;               // camera -> frames sent
  NameMap<std::vector<Stream*>> windowed_;  // camera -> its streams with edges to settle
  std::vector<ProbeStats> probes_;          // per phase, then "run" last
  std::vector<Operation> probe_violations_;
  std::vector<OperationTally> operations_;   // per phase, then "run" last
  NameMap<std::vector<uint32_t>> rates_;     // hub -> frames per bucket
  std::vector<Liveness> liveness_;           // every entitled stream, in hub then watch order
  NameMap<NameMap<size_t>> liveness_index_;  // hub -> camera -> index into liveness_
  NameMap<std::vector<size_t>> liveness_of_camera_;
  NameMap<bool> published_;                 // camera -> published successfully at least once
  std::vector<RevokeEnforcement> revokes_;  // one per (revoked share, hub watching it)
  std::vector<Micros> revoke_ends_;         // per revokes_ entry: when the account may see it again
  NameMap<std::vector<size_t>> revokes_of_hub_;
};

}  // namespace camleak::oracle
