#include "emulators/camera/frame_schedule.hpp"

#include "harness/core/errors.hpp"

namespace camleak::emulators {

FrameSchedule::FrameSchedule(Micros start, int fps) : start_(start), fps_(fps) {
  if (fps <= 0) throw InputError(Diagnostic{.field = "fps", .message = "must be positive"});
}

Micros FrameSchedule::due(uint64_t slot) const {
  return start_ + Micros{static_cast<int64_t>(slot * 1'000'000ull / static_cast<uint64_t>(fps_))};
}

std::optional<FrameSchedule::Step> FrameSchedule::advance(Micros now) {
  if (now < due(next_slot_)) return std::nullopt;
  // Latest slot whose due time is <= now: floor((now - start) * fps / 1e6).
  const uint64_t elapsed = static_cast<uint64_t>((now - start_).count());
  const uint64_t latest = elapsed * static_cast<uint64_t>(fps_) / 1'000'000ull;
  Step step{latest, latest - next_slot_};
  next_slot_ = latest + 1;
  return step;
}

}  // namespace camleak::emulators
