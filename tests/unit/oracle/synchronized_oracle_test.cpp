#include "harness/oracle/synchronized_oracle.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "oracle_fixture.hpp"

namespace camleak::oracle {
namespace {

using namespace camleak::oracle::test;

TEST(SynchronizedOracleTest, ConcurrentFeedersLoseNothing) {
  SynchronizedOracle oracle(sample_truth(), std::vector<Phase>{{"all", 0s, 100s}},
                            std::vector<FaultWindow>{}, Checks{});
  constexpr int kThreads = 4;
  constexpr int kFrames = 2000;
  std::vector<std::thread> feeders;
  for (int t = 0; t < kThreads; ++t) {
    feeders.emplace_back([&, t] {
      for (int i = 0; i < kFrames; ++i) {
        auto o = frame("cam-a", 101, static_cast<uint64_t>(i), Micros{i * 1000}, Micros{i * 1000});
        o.hub = "hub-" + std::to_string(t);
        oracle.judge(o);
        oracle.record_sent("cam-a", Micros{i * 1000});
      }
    });
  }
  for (auto& f : feeders) f.join();
  EXPECT_EQ(oracle.count(VerdictKind::ok), static_cast<uint64_t>(kThreads * kFrames));
  const auto r = oracle.finish(100s);
  ASSERT_EQ(r.streams.size(), static_cast<size_t>(kThreads));
  for (const auto& s : r.streams) EXPECT_EQ(s.delivered, static_cast<uint64_t>(kFrames));
}

}  // namespace
}  // namespace camleak::oracle
