#pragma once
// Frame pacing without drift: frame slot n is due at start + n / fps, always computed from the
// start time (never "last send + interval"), so timer lateness does not accumulate. When the
// sender falls behind by whole slots (a stalled io_context, a blocked socket) the missed slots
// are skipped rather than sent in a burst, as a live camera drops frames it could not send.
// Pure: times are run-clock Micros passed in by the caller.
#include <cstdint>
#include <optional>

#include "harness/core/clock.hpp"

namespace camleak::emulators {

class FrameSchedule {
 public:
  // Throws InputError when fps is not positive.
  FrameSchedule(Micros start, int fps);

  // Time slot `slot` is due (exact integer arithmetic: 30 fps stays at 30 fps over hours).
  Micros due(uint64_t slot) const;

  struct Step {
    uint64_t slot = 0;     // the slot to send now
    uint64_t skipped = 0;  // earlier slots given up because their time had passed
  };
  // Called when the timer fires at `now`. nullopt when the next slot is not due yet (a timer
  // that fired early: wait until next_due()). Otherwise the latest slot due at `now`; the slots
  // between the previous send and it count as skipped.
  std::optional<Step> advance(Micros now);

  // When the next unsent slot is due: arm the timer for this.
  Micros next_due() const { return due(next_slot_); }
  uint64_t next_slot() const { return next_slot_; }
  Micros start() const { return start_; }
  int fps() const { return fps_; }

 private:
  Micros start_;
  int fps_;
  uint64_t next_slot_ = 0;
};

}  // namespace camleak::emulators
