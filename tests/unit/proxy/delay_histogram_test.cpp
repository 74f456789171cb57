#include "harness/proxy/delay_histogram.hpp"

#include <gtest/gtest.h>

namespace camleak::proxy {
namespace {

TEST(DelayHistogram, EmptyReportsZero) {
  DelayHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile(99), Micros{0});
  EXPECT_EQ(h.min(), Micros{0});
  EXPECT_TRUE(h.buckets().empty());
}

TEST(DelayHistogram, SmallValuesAreExact) {
  DelayHistogram h;
  for (int i = 0; i < 10; ++i) h.record(Micros{i});
  EXPECT_EQ(h.percentile(50), Micros{4});
  EXPECT_EQ(h.percentile(100), Micros{9});
  EXPECT_EQ(h.min(), Micros{0});
  EXPECT_DOUBLE_EQ(h.mean_us(), 4.5);
}

TEST(DelayHistogram, LargeValuesWithinSixPercent) {
  DelayHistogram h;
  for (int64_t v : {1000, 50'000, 50'000, 50'000, 250'000, 3'000'000}) h.record(Micros{v});
  const auto p50 = h.percentile(50).count();
  EXPECT_GE(p50, 50'000);
  EXPECT_LE(p50, 53'125);
  EXPECT_EQ(h.percentile(100), Micros{3'000'000});  // capped at the max seen
  EXPECT_EQ(h.max(), Micros{3'000'000});
  uint64_t total = 0;
  for (const auto& b : h.buckets()) total += b.count;
  EXPECT_EQ(total, 6u);
}

TEST(DelayHistogram, NegativeDelaysCountAsZeroAndMergeAdds) {
  DelayHistogram a, b;
  a.record(Micros{-5});
  b.record(Micros{100});
  b.record(Micros{200});
  a.merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.min(), Micros{0});
  EXPECT_EQ(a.max(), Micros{200});
}

}  // namespace
}  // namespace camleak::proxy
