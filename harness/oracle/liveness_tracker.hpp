#pragma once
// Liveness of one entitled stream (a hub watching a camera its account may see), judged over
// the whole run so that a relay which accepts everything and delivers nothing cannot pass:
//  - time to first frame: for each entitlement window, from the first moment in it that is not
//    excused, until the first new frame of the camera reaches the hub;
//  - longest stall outside excused time: the longest span, inside the entitlement windows and
//    outside excused time, without a new frame (from the window's start to the run's end);
//  - delivered ratio outside excused time: of the frames the camera captured inside a window,
//    outside excused time and after the window's first frame reached the hub, how many reached
//    it (by capture time, so frames in flight across a window edge count where they were
//    taken). The wait for the first frame is time to first frame's business, not the ratio's.
// Excused time is every fault on the stream's path plus a recovery allowance after it (the
// Oracle computes it). Pure: time comes in through the calls.
#include <optional>
#include <vector>

#include "harness/oracle/ground_truth.hpp"

namespace camleak::oracle {

struct LivenessFigures {
  // Worst time to first frame over the windows that could be judged; absent when none could.
  std::optional<Micros> first_frame;
  bool first_frame_missing = false;  // a window passed the bound (or ended) without a frame
  Micros max_stall{0};
  Micros max_stall_from{0};  // where that stall began
  uint64_t sent = 0;
  uint64_t delivered = 0;
};

class LivenessTracker {
 public:
  // `entitled`: sorted, disjoint windows; `excused`: sorted, disjoint spans.
  LivenessTracker(std::vector<TimeWindow> entitled, std::vector<TimeWindow> excused);

  // The camera captured and sent `frames` frames at `at`.
  void on_sent(Micros at, uint64_t frames = 1);
  // A new frame of the camera (not a duplicate, not a replay) reached the hub at `received_at`;
  // `captured` from its SEI when it has one.
  void on_new_frame(Micros received_at, std::optional<Micros> captured);

  // `first_frame_bound`: a window whose judged part is longer than this without a frame is a
  // missing first frame; shorter ones that end without a frame are not judged.
  LivenessFigures finish(Micros run_end, Micros first_frame_bound) const;

 private:
  // The window containing t when t is not excused; nullopt otherwise.
  std::optional<size_t> counted_window(Micros t) const;
  // First moment of [from, until) that is not excused; nullopt when all of it is.
  std::optional<Micros> first_unexcused(Micros from, Micros until) const;
  // Longest part of [from, until) inside the windows and outside excused time.
  std::pair<Micros, Micros> longest_clean(Micros from, Micros until) const;  // {length, start}
  void close_gap(Micros from, Micros until);

  std::vector<TimeWindow> entitled_;
  std::vector<TimeWindow> excused_;
  std::vector<std::optional<Micros>> first_new_;  // per window
  std::vector<uint64_t> sent_in_window_;          // counted sends per window
  std::vector<uint64_t> sent_before_first_;       // of those, sent before its first frame arrived
  std::optional<Micros> last_new_;
  Micros max_stall_{0};
  Micros max_stall_from_{0};
  uint64_t delivered_ = 0;
};

}  // namespace camleak::oracle
