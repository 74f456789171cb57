#include "emulators/camera/send_log.hpp"

#include <gtest/gtest.h>

#include "harness/core/errors.hpp"

namespace camleak::emulators {
namespace {

TEST(SendLog, CountsFramesPerBucket) {
  SendLog log(Micros{100'000}, 100);
  log.record(Micros{0});
  log.record(Micros{99'999});
  log.record(Micros{100'000});
  log.record(Micros{350'000});
  EXPECT_EQ(log.total(), 4u);
  ASSERT_EQ(log.counts().size(), 4u);
  EXPECT_EQ(log.counts()[0], 2u);
  EXPECT_EQ(log.counts()[1], 1u);
  EXPECT_EQ(log.counts()[2], 0u);
  EXPECT_EQ(log.counts()[3], 1u);
  EXPECT_EQ(log.count_between(Micros{100'000}, Micros{400'000}), 2u);
  EXPECT_EQ(log.count_between(Micros{0}, Micros{100'000}), 2u);
}

TEST(SendLog, MemoryIsCappedAndOverflowCounted) {
  SendLog log(Micros{10}, 3);
  for (int i = 0; i < 10; ++i) log.record(Micros{i * 10});
  EXPECT_EQ(log.counts().size(), 3u);
  EXPECT_EQ(log.overflow(), 7u);
  EXPECT_EQ(log.total(), 10u);
  log.record(Micros{-5});  // before the epoch: first bucket
  EXPECT_EQ(log.counts()[0], 2u);
}

TEST(SendLog, RejectsBadSettings) {
  EXPECT_THROW(SendLog(Micros{0}, 1), InputError);
  EXPECT_THROW(SendLog(Micros{1}, 0), InputError);
}

}  // namespace
}  // namespace camleak::emulators
