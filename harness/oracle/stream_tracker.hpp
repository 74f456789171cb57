#pragma once
// Continuity of one live stream (one hub watching one camera): stalls, freezes, reorders,
// duplicates and delivered frames, accumulated per phase as frames arrive. O(1) per frame apart
// from the (few) phases.
//
// Definitions:
//  - a *new* frame advances the stream: its sequence number is above every one seen before (or
//    it carries none, when the SEI was stripped) and its verdict is OK;
//  - stall: the longest span without a new frame, from the stream's start, split at phase
//    boundaries (a span crossing into a phase counts in that phase for the part inside it).
//    Only time inside the stream's *expected* windows counts: a sharee's stream of a shared
//    camera is expected while the share lasts, not after the revoke that rightly ends it;
//  - freeze, as WebRTC's video quality analyzer defines it: the gap between two consecutive new
//    frames exceeds max(3 x average gap, average gap + 150 ms), the average taken over every gap
//    of the stream so far including this one; counted in the phase where the freeze ends. A gap
//    that leaves the expected windows (a share revoked, then granted again) is a pause, neither
//    a freeze nor part of the average;
//  - duplicate: a sequence number seen before (same capture time); not counted as delivered;
//  - reorder: a sequence number below the highest seen that was not seen yet (a late frame).
//    A lower sequence number with a *later* capture time is a camera restart, not a reorder:
//    the window starts over. Sequence numbers more than kWindow below the highest count as
//    reorders (they cannot be told apart from duplicates any more).
#include <bitset>
#include <optional>
#include <vector>

#include "harness/oracle/ground_truth.hpp"
#include "harness/oracle/phase_index.hpp"

namespace camleak::oracle {

struct StreamPhaseCounters {
  uint64_t delivered = 0;  // OK or STALE frames of the requested camera, duplicates excluded
  uint64_t duplicates = 0;
  uint64_t reorders = 0;
  uint64_t freezes = 0;
  uint64_t stale = 0;
  Micros freeze_total{0};
  Micros max_stall{0};
  bool active = false;  // the stream existed during (part of) this phase
};

class StreamTracker {
 public:
  static constexpr uint64_t kWindow = 1024;
  static constexpr Micros kFreezeMinIncrease = std::chrono::milliseconds(150);

  // `expected`: sorted, disjoint windows in which the stream should deliver (see
  // Visibility::entitled_windows); by default the whole run.
  StreamTracker(const PhaseIndex& phases, Micros started,
                std::vector<TimeWindow> expected = {TimeWindow{}});

  // A frame showing this stream's camera. `fresh` is false for STALE frames (delivered, but not
  // a new picture for the viewer).
  // Returns whether the frame advanced the stream (a new, fresh picture for the viewer).
  bool on_frame(Micros received_at, std::optional<uint64_t> sequence,
                std::optional<Micros> capture_time, bool fresh);
  // Closes the trailing span without frames at the end of the run.
  void finish(Micros run_end);

  const std::vector<StreamPhaseCounters>& phases() const { return per_phase_; }
  uint64_t sequence_restarts() const { return restarts_; }
  Micros started() const { return started_; }

 private:
  enum class Order { advance, duplicate, reorder, restart };
  Order place(uint64_t sequence, std::optional<Micros> capture_time);
  void close_span(Micros from, Micros to);
  bool inside_one_window(Micros from, Micros to) const;

  const PhaseIndex* phases_;
  std::vector<TimeWindow> expected_;
  std::vector<StreamPhaseCounters> per_phase_;
  Micros started_;
  Micros last_new_;
  bool has_new_frame_ = false;
  Micros gap_sum_{0};
  uint64_t gap_count_ = 0;
  bool has_sequence_ = false;
  uint64_t highest_ = 0;
  std::optional<Micros> highest_capture_;
  std::bitset<kWindow> seen_;
  uint64_t restarts_ = 0;
  bool finished_ = false;
};

}  // namespace camleak::oracle
