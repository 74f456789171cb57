#include "harness/core/event_log.hpp"

#include <gtest/gtest.h>

namespace camleak {
namespace {

TEST(EventLog, KeepsOrderAndCountsOverflow) {
  EventLog log(3);
  for (int i = 0; i < 5; ++i) log.record({.time = Micros{i}, .action = "drop"});
  const auto events = log.snapshot();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].time, Micros{0});
  EXPECT_EQ(events[2].time, Micros{2});
  EXPECT_EQ(log.dropped(), 2u);
  EXPECT_EQ(log.since(1).size(), 2u);
}

}  // namespace
}  // namespace camleak
