#include "harness/proxy/link_tap.hpp"

#include <gtest/gtest.h>

namespace camleak::proxy {
namespace {

LinkTap ring_tap() {
  return LinkTap(TapConfig{.ring = true}, size_t{1} << 20, Micros{30'000'000},
                 std::chrono::system_clock::time_point{});
}

TEST(LinkTap, FramesInCountsTheWindowInclusive) {
  auto tap = ring_tap();
  for (int64_t t : {100, 200, 300, 400}) tap.record(Micros{t}, std::vector<uint8_t>(10));
  EXPECT_EQ(tap.frames_in(Micros{200}, Micros{300}), 2u);
  EXPECT_EQ(tap.frames_in(Micros{0}, Micros{99}), 0u);
  EXPECT_EQ(tap.frames_in(Micros{0}, Micros{1000}), 4u);
  EXPECT_EQ(tap.ring_bytes(), 40u);
}

// A frame recorded with an earlier time than the last one (two handlers that read the clock at
// different points) is kept in order, at the last time.
TEST(LinkTap, AFrameFromThePastTakesTheLastTime) {
  auto tap = ring_tap();
  tap.record(Micros{100}, std::vector<uint8_t>(10));
  tap.record(Micros{90}, std::vector<uint8_t>(10));
  tap.record(Micros{150}, std::vector<uint8_t>(10));
  EXPECT_EQ(tap.frames_in(Micros{0}, Micros{99}), 0u);
  EXPECT_EQ(tap.frames_in(Micros{100}, Micros{100}), 2u);
  EXPECT_EQ(tap.frames_in(Micros{101}, Micros{150}), 1u);
}

}  // namespace
}  // namespace camleak::proxy
