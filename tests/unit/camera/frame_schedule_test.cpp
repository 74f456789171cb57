#include "emulators/camera/frame_schedule.hpp"

#include <gtest/gtest.h>

#include "harness/core/errors.hpp"

namespace camleak::emulators {
namespace {

TEST(FrameSchedule, SlotsAreComputedFromTheStartWithoutDrift) {
  FrameSchedule schedule(Micros{1'000}, 30);
  EXPECT_EQ(schedule.due(0), Micros{1'000});
  EXPECT_EQ(schedule.due(1), Micros{1'000 + 33'333});
  EXPECT_EQ(schedule.due(3), Micros{1'000 + 100'000});
  // After an hour at 30 fps the slot is exactly on time (repeated +33333 would be 36 ms early).
  EXPECT_EQ(schedule.due(30 * 3600), Micros{1'000 + 3'600'000'000});
}

TEST(FrameSchedule, ManualClockPacesOneFramePerSlotWhenOnTime) {
  ManualClock clock(Micros{500});
  FrameSchedule schedule(clock.now(), 25);
  for (uint64_t n = 0; n < 100; ++n) {
    // A timer that fires a little late each time: lateness must not accumulate.
    clock.set(schedule.next_due() + Micros{700});
    const auto step = schedule.advance(clock.now());
    ASSERT_TRUE(step);
    EXPECT_EQ(step->slot, n);
    EXPECT_EQ(step->skipped, 0u);
  }
  EXPECT_EQ(schedule.next_due(), Micros{500 + 100 * 40'000});
}

TEST(FrameSchedule, EarlyWakeupSendsNothing) {
  FrameSchedule schedule(Micros{0}, 10);
  ASSERT_TRUE(schedule.advance(Micros{0}));
  EXPECT_FALSE(schedule.advance(Micros{99'999}));
  const auto step = schedule.advance(Micros{100'000});
  ASSERT_TRUE(step);
  EXPECT_EQ(step->slot, 1u);
}

TEST(FrameSchedule, LateBySeveralSlotsSkipsThemInsteadOfBursting) {
  FrameSchedule schedule(Micros{0}, 10);  // 100 ms slots
  ASSERT_TRUE(schedule.advance(Micros{0}));
  const auto step = schedule.advance(Micros{450'000});  // slots 1..4 are due
  ASSERT_TRUE(step);
  EXPECT_EQ(step->slot, 4u);
  EXPECT_EQ(step->skipped, 3u);
  EXPECT_EQ(schedule.next_due(), Micros{500'000});  // back on the original grid
}

TEST(FrameSchedule, RejectsNonPositiveFps) {
  EXPECT_THROW(FrameSchedule(Micros{0}, 0), InputError);
}

}  // namespace
}  // namespace camleak::emulators
