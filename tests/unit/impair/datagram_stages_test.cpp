// Datagram (UDP) stages: netem semantics, checked statistically with fixed seeds.
#include <gtest/gtest.h>

#include <map>

#include "harness/core/event_log.hpp"
#include "test_support.hpp"

namespace camleak::impair {
namespace {

using namespace test;
using namespace std::chrono_literals;

// Runs `n` datagrams through an immediate stage (loss) and returns which were lost, in order.
std::vector<bool> loss_pattern(const Attributes& attributes, int n, uint64_t seed = 42) {
  auto stage = make_stage("loss", attributes, seed);
  std::vector<bool> lost;
  lost.reserve(n);
  for (int i = 0; i < n; ++i) {
    stage->push(tagged(static_cast<uint32_t>(i), 8), Micros(i));
    const auto out = stage->pop(Micros(i));
    lost.push_back(!out);
    if (out) {
      EXPECT_EQ(tag_of(*out), static_cast<uint32_t>(i));
    }
  }
  return lost;
}

double loss_rate(const std::vector<bool>& lost) {
  return static_cast<double>(std::count(lost.begin(), lost.end(), true)) /
         static_cast<double>(lost.size());
}

// P(lost | previous lost).
double loss_after_loss(const std::vector<bool>& lost) {
  size_t previous = 0, both = 0;
  for (size_t i = 1; i < lost.size(); ++i) {
    if (lost[i - 1]) {
      ++previous;
      if (lost[i]) ++both;
    }
  }
  return static_cast<double>(both) / static_cast<double>(previous);
}

std::vector<size_t> bursts(const std::vector<bool>& lost) {
  std::vector<size_t> lengths;
  size_t run = 0;
  for (bool l : lost) {
    if (l) {
      ++run;
    } else if (run > 0) {
      lengths.push_back(run);
      run = 0;
    }
  }
  if (run > 0) lengths.push_back(run);
  return lengths;
}

double mean_of(const std::vector<size_t>& v) {
  return static_cast<double>(std::accumulate(v.begin(), v.end(), size_t{0})) /
         static_cast<double>(v.size());
}

// ---- loss ----

TEST(Loss, RandomTwentyPercentWithinOnePercent) {
  const auto lost = loss_pattern({{"probability", 20.0}}, 100'000);
  EXPECT_NEAR(loss_rate(lost), 0.20, 0.01);
  // Uncorrelated: a loss says nothing about the next one.
  EXPECT_NEAR(loss_after_loss(lost), 0.20, 0.015);
}

TEST(Loss, CorrelationMakesLossesClusterButKeepsTheMean) {
  const auto lost = loss_pattern({{"probability", 20.0}, {"correlation", 75.0}}, 100'000);
  EXPECT_NEAR(loss_rate(lost), 0.20, 0.015);
  EXPECT_GT(loss_after_loss(lost), 0.40);
  EXPECT_GT(mean_of(bursts(lost)), 1.6);  // uncorrelated: 1 / 0.8 = 1.25
}

TEST(Loss, GilbertElliottMeanBurstIsOneOverR) {
  const auto lost = loss_pattern({{"model", std::string("gemodel")},
                                  {"p", 5.0},
                                  {"r", 25.0},
                                  {"one_minus_h", 100.0},
                                  {"one_minus_k", 0.0}},
                                 100'000);
  EXPECT_NEAR(mean_of(bursts(lost)), 1.0 / 0.25, 0.2);
  EXPECT_NEAR(loss_rate(lost), 0.05 / (0.05 + 0.25), 0.01);  // time spent in the bad state
}

TEST(Loss, GilbertElliottLossWithinStates) {
  // Half the datagrams lost in the bad state, 1 % in the good one.
  const auto lost = loss_pattern({{"model", std::string("gemodel")},
                                  {"p", 10.0},
                                  {"r", 40.0},
                                  {"one_minus_h", 50.0},
                                  {"one_minus_k", 1.0}},
                                 100'000);
  const double bad = 0.10 / (0.10 + 0.40);
  EXPECT_NEAR(loss_rate(lost), bad * 0.5 + (1 - bad) * 0.01, 0.01);
}

TEST(Loss, FourStateIsolatedLossesNeverTouch) {
  const auto lost = loss_pattern({{"model", std::string("state")}, {"p14", 10.0}}, 50'000);
  EXPECT_NEAR(loss_rate(lost), 0.1 / 1.1, 0.01);
  const auto lengths = bursts(lost);
  EXPECT_EQ(*std::max_element(lengths.begin(), lengths.end()), 1u);
}

TEST(Loss, FourStateBurstsLastOneOverP31) {
  const auto lost = loss_pattern(
      {{"model", std::string("state")}, {"p13", 5.0}, {"p31", 50.0}, {"p32", 0.0}}, 100'000);
  EXPECT_NEAR(mean_of(bursts(lost)), 2.0, 0.1);
}

TEST(Loss, CountsAndLogsEveryDrop) {
  EventLog events;
  auto stage = make_stage("loss", {{"probability", 100.0}}, 1, 0ms, &events);
  stage->push(data(10), 1ms);
  stage->push(data(20), 2ms);
  stage->push(signal(Packet::Kind::close), 3ms);  // signals are never lost
  EXPECT_EQ(stage->pop(3ms)->kind, Packet::Kind::close);
  EXPECT_EQ(counter(*stage, "dropped"), 2u);
  EXPECT_EQ(counter(*stage, "dropped_bytes"), 30u);
  const auto log = events.snapshot();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].time, Micros(2ms));
  EXPECT_EQ(log[1].action, "dropped");
  EXPECT_EQ(log[1].bytes, 20u);
  EXPECT_EQ(log[1].link, "link");
  EXPECT_EQ(log[1].direction, "downstream");
}

TEST(Loss, SameSeedSamePattern) {
  const Attributes a{{"probability", 30.0}, {"correlation", 20.0}};
  EXPECT_EQ(loss_pattern(a, 5000, 9), loss_pattern(a, 5000, 9));
  EXPECT_NE(loss_pattern(a, 5000, 9), loss_pattern(a, 5000, 10));
}

// ---- duplicate ----

TEST(Duplicate, SendsCopiesRightBehindTheOriginal) {
  auto stage = make_stage("duplicate", {{"probability", 30.0}}, 4);
  std::vector<Output> out;
  for (uint32_t i = 0; i < 10'000; ++i) {
    stage->push(tagged(i), Micros(i));
    collect(*stage, Micros(i), out);
  }
  const double copies = static_cast<double>(out.size()) - 10'000;
  EXPECT_NEAR(copies, 3000.0, 200.0);
  EXPECT_EQ(counter(*stage, "duplicated"), static_cast<uint64_t>(copies));
  uint32_t expected = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const uint32_t id = tag_of(out[i].packet);
    if (i > 0 && id == tag_of(out[i - 1].packet)) continue;  // the copy
    EXPECT_EQ(id, expected++);
  }
  EXPECT_EQ(expected, 10'000u);
}

// ---- reorder ----

TEST(Reorder, GapSendsEveryNthAtOnce) {
  auto stage =
      make_stage("reorder", {{"probability", 100.0}, {"gap", int64_t{5}}, {"delay", 10.0}});
  std::vector<Output> out;
  for (uint32_t i = 0; i < 20; ++i) {
    stage->push(tagged(i), Micros(1ms) * i);
    collect(*stage, Micros(1ms) * i, out);
  }
  auto rest = run_until(*stage, 19ms, 1s);
  for (auto& o : rest) out.push_back(std::move(o));
  ASSERT_EQ(out.size(), 20u);
  for (const auto& o : out) {
    const uint32_t id = tag_of(o.packet);
    const Micros sent = Micros(1ms) * id;
    EXPECT_EQ(o.at - sent, id % 5 == 4 ? Micros(0) : Micros(10ms)) << id;
  }
  // Datagram 4 left at 4 ms, ahead of 0..3 (held until 10..13 ms).
  EXPECT_EQ(tag_of(out[0].packet), 4u);
  EXPECT_EQ(counter(*stage, "reordered"), 4u);
  EXPECT_EQ(counter(*stage, "delayed"), 16u);
}

TEST(Reorder, ProbabilityIsTheShareSentAtOnce) {
  auto stage = make_stage("reorder", {{"probability", 25.0}, {"delay", 10.0}}, 8);
  int ready_at_once = 0;
  for (int i = 0; i < 20'000; ++i) {
    const Micros now = Micros(100ms) * i;  // far apart: nothing delayed is pending
    stage->push(data(10), now);
    if (stage->pop(now)) {
      ++ready_at_once;
    } else {
      EXPECT_FALSE(stage->pop(now + 9ms));
      EXPECT_TRUE(stage->pop(now + 10ms));  // the others wait exactly `delay`
    }
  }
  EXPECT_NEAR(ready_at_once / 20'000.0, 0.25, 0.015);
  EXPECT_EQ(counter(*stage, "reordered"), static_cast<uint64_t>(ready_at_once));
}

TEST(Reorder, LimitDropsTheExcess) {
  auto stage = make_stage("reorder", {{"delay", 100.0}, {"limit", int64_t{3}}});
  for (int i = 0; i < 5; ++i) stage->push(data(10), 0ms);
  EXPECT_EQ(stage->held_packets(), 3u);
  EXPECT_EQ(counter(*stage, "overflow"), 2u);
}

// ---- corrupt ----

int differing_bits(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  int bits = 0;
  for (size_t i = 0; i < a.size(); ++i) bits += __builtin_popcount(a[i] ^ b[i]);
  return bits;
}

TEST(Corrupt, FlipsExactlyOneBit) {
  auto stage = make_stage("corrupt", {{"probability", 100.0}}, 6);
  std::map<size_t, int> positions;
  for (int i = 0; i < 2000; ++i) {
    Packet packet = data(64, 0x5a);
    const auto original = packet.bytes;
    stage->push(std::move(packet), 0ms);
    const auto out = stage->pop(0ms);
    ASSERT_TRUE(out);
    ASSERT_EQ(out->bytes.size(), original.size());
    EXPECT_EQ(differing_bits(original, out->bytes), 1);
    for (size_t b = 0; b < original.size(); ++b) {
      if (original[b] != out->bytes[b]) ++positions[b];
    }
  }
  EXPECT_EQ(positions.size(), 64u);  // every byte gets hit
  stage->push(data(0), 0ms);         // nothing to flip in an empty datagram
  EXPECT_TRUE(stage->pop(0ms));
}

TEST(Corrupt, ProbabilityIsTheShareCorrupted) {
  auto stage = make_stage("corrupt", {{"probability", 10.0}}, 2);
  int corrupted = 0;
  for (int i = 0; i < 10'000; ++i) {
    stage->push(data(32), 0ms);
    const auto out = stage->pop(0ms);
    if (differing_bits(std::vector<uint8_t>(32, 0), out->bytes) > 0) ++corrupted;
  }
  EXPECT_NEAR(corrupted, 1000, 100);
  EXPECT_EQ(counter(*stage, "corrupted"), static_cast<uint64_t>(corrupted));
}

// ---- rate ----

TEST(Rate, SerialisesDatagramsAtTheRate) {
  // 1000 kbit/s: 1250 bytes take 10 ms, plus 250 bytes overhead: 12 ms.
  auto stage = make_stage("rate", {{"rate", 1000.0}, {"packet_overhead", int64_t{250}}});
  for (uint32_t i = 0; i < 10; ++i) stage->push(tagged(i, 1250), 0ms);
  const auto out = run_until(*stage, 0ms, 10s);
  ASSERT_EQ(out.size(), 10u);
  for (uint32_t i = 0; i < 10; ++i) {
    EXPECT_EQ(tag_of(out[i].packet), i);
    EXPECT_EQ(out[i].at, Micros(12ms) * (i + 1));
  }
}

TEST(Rate, AchievesTheRateUnderLoad) {
  auto stage = make_stage("rate", {{"rate", 2000.0}, {"limit", int64_t{100'000}}});  // 2 Mbit/s
  std::vector<Output> out;
  for (int i = 0; i < 4000; ++i) {  // offer 1200 B/ms = 9.6 Mbit/s for 4 s
    const Micros now = Micros(1ms) * i;
    collect(*stage, now, out);
    stage->push(data(1200), now);
  }
  size_t bits = 0;
  for (const auto& o : out) {
    if (o.at >= 1s && o.at < 3s) bits += o.packet.bytes.size() * 8;
  }
  EXPECT_NEAR(static_cast<double>(bits) / 2.0, 2'000'000.0, 2'000'000.0 * 0.02);
}

TEST(Rate, LimitDropsTheExcessAndRateChangeReschedules) {
  auto stage = make_stage("rate", {{"rate", 8.0}, {"limit", int64_t{3}}});  // 1 byte/ms
  for (uint32_t i = 0; i < 5; ++i) stage->push(tagged(i, 1000), 0ms);
  EXPECT_EQ(counter(*stage, "overflow"), 2u);
  EXPECT_EQ(stage->next_wakeup(0ms), Micros(1s));
  stage->reconfigure(*Registry::builtin().settings("rate", {{"rate", 8000.0}}));  // 1 byte/us
  const auto out = run_until(*stage, 0ms, 10s);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].at, Micros(3ms));
}

// ---- delay ----

TEST(Delay, FixedDelay) {
  auto stage = make_stage("delay", {{"delay", 25.5}});
  stage->push(data(10), 1ms);
  EXPECT_EQ(stage->next_wakeup(1ms), Micros(26500));
  EXPECT_TRUE(stage->pop(Micros(26500)));
}

std::vector<uint32_t> order_with(const Attributes& attributes) {
  auto stage = make_stage("delay", attributes, 12);
  std::vector<Output> out;
  for (uint32_t i = 0; i < 1000; ++i) {
    collect(*stage, Micros(1ms) * i, out);
    stage->push(tagged(i), Micros(1ms) * i);
  }
  auto rest = run_until(*stage, 1000ms, 10s);
  for (auto& o : rest) out.push_back(std::move(o));
  std::vector<uint32_t> ids;
  for (const auto& o : out) ids.push_back(tag_of(o.packet));
  return ids;
}

TEST(Delay, JitterReordersUnlessOrderIsPreserved) {
  const auto jittered = order_with({{"delay", 50.0}, {"jitter", 20.0}});
  ASSERT_EQ(jittered.size(), 1000u);
  EXPECT_FALSE(std::is_sorted(jittered.begin(), jittered.end()));
  const auto kept = order_with({{"delay", 50.0}, {"jitter", 20.0}, {"preserve_order", true}});
  ASSERT_EQ(kept.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(kept.begin(), kept.end()));
}

TEST(Delay, NormalJitterMeanAndStddev) {
  auto stage = make_stage(
      "delay", {{"delay", 80.0}, {"jitter", 10.0}, {"distribution", std::string("normal")}}, 13);
  std::vector<double> delays;
  for (int i = 0; i < 20'000; ++i) {
    stage->push(data(1), 0ms);
    delays.push_back(static_cast<double>(stage->next_wakeup(0ms)->count()) / 1000.0);
    ASSERT_TRUE(stage->pop(1s));
  }
  EXPECT_NEAR(mean(delays), 80.0, 0.3);
  EXPECT_NEAR(stddev(delays), 10.0, 0.3);
}

TEST(Delay, CorrelatedDelaysFollowEachOther) {
  auto lag_one = [](double correlation) {
    auto stage =
        make_stage("delay", {{"delay", 100.0}, {"jitter", 50.0}, {"correlation", correlation}}, 21);
    std::vector<double> delays;
    for (int i = 0; i < 20'000; ++i) {
      stage->push(data(1), 0ms);
      delays.push_back(static_cast<double>(stage->next_wakeup(0ms)->count()));
      EXPECT_TRUE(stage->pop(1s));
    }
    const double m = mean(delays);
    double num = 0, den = 0;
    for (size_t i = 1; i < delays.size(); ++i) num += (delays[i] - m) * (delays[i - 1] - m);
    for (double d : delays) den += (d - m) * (d - m);
    return num / den;
  };
  EXPECT_NEAR(lag_one(0), 0.0, 0.03);
  EXPECT_GT(lag_one(80), 0.6);
}

}  // namespace
}  // namespace camleak::impair
