// Stream (TCP) stages: Toxiproxy semantics, byte order kept.
#include <gtest/gtest.h>

#include "harness/core/event_log.hpp"
#include "test_support.hpp"

namespace camleak::impair {
namespace {

using namespace test;
using namespace std::chrono_literals;

std::vector<uint32_t> tags(const std::vector<Output>& out) {
  std::vector<uint32_t> ids;
  for (const auto& o : out) {
    if (o.packet.kind == Packet::Kind::data) ids.push_back(tag_of(o.packet));
  }
  return ids;
}

bool ascending(const std::vector<uint32_t>& ids) {
  return std::is_sorted(ids.begin(), ids.end()) &&
         std::adjacent_find(ids.begin(), ids.end()) == ids.end();
}

// ---- latency ----

TEST(Latency, DelaysEachChunkFromItsArrival) {
  auto stage = make_stage("latency", {{"latency", int64_t{100}}});
  stage->push(tagged(1), 0ms);
  stage->push(tagged(2), 10ms);
  EXPECT_EQ(stage->next_wakeup(10ms), Micros(100ms));
  EXPECT_FALSE(stage->pop(99ms));
  const auto out = run_until(*stage, 10ms, 1s);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].at, Micros(100ms));
  EXPECT_EQ(out[1].at, Micros(110ms));
  EXPECT_EQ(counter(*stage, "delayed"), 2u);
  EXPECT_EQ(counter(*stage, "delayed_bytes"), 200u);
}

TEST(Latency, JitterNeverReordersTheStream) {
  auto stage = make_stage("latency", {{"latency", int64_t{100}}, {"jitter", int64_t{90}}}, 7);
  std::vector<Output> out;
  bool some_chunk_waited_for_an_earlier_one = false;
  Micros previous_release{0};
  for (uint32_t i = 0; i < 2000; ++i) {
    const Micros now = Micros(1ms) * i;
    collect(*stage, now, out);
    stage->push(tagged(i), now);
  }
  auto rest = run_until(*stage, 2000ms, 10s);
  for (auto& o : rest) out.push_back(std::move(o));
  ASSERT_EQ(out.size(), 2000u);
  EXPECT_TRUE(ascending(tags(out)));
  for (const auto& o : out) {
    const Micros sent = Micros(1ms) * tag_of(o.packet);
    EXPECT_GE(o.at - sent, Micros(10ms));  // latency - jitter
    if (o.at == previous_release) some_chunk_waited_for_an_earlier_one = true;
    previous_release = o.at;
  }
  // With +/-90 ms jitter and 1 ms spacing, FIFO order must have held some chunks back.
  EXPECT_TRUE(some_chunk_waited_for_an_earlier_one);
}

TEST(Latency, NormalDistributionHasTheConfiguredMeanAndStddev) {
  auto stage = make_stage(
      "latency",
      {{"latency", int64_t{100}}, {"jitter", int64_t{20}}, {"distribution", std::string("normal")}},
      11);
  std::vector<double> delays_ms;
  for (int i = 0; i < 20000; ++i) {
    const Micros now = Micros(1s) * i;  // far apart: FIFO order never interferes
    stage->push(data(10), now);
    const auto ready = stage->next_wakeup(now);
    ASSERT_TRUE(ready);
    ASSERT_TRUE(stage->pop(*ready));
    delays_ms.push_back(static_cast<double>((*ready - now).count()) / 1000.0);
  }
  EXPECT_NEAR(mean(delays_ms), 100.0, 0.5);
  EXPECT_NEAR(stddev(delays_ms), 20.0, 0.5);
}

TEST(Latency, UniformJitterStaysWithinBounds) {
  auto stage = make_stage("latency", {{"latency", int64_t{50}}, {"jitter", int64_t{10}}}, 3);
  Micros lowest = Micros::max(), highest = Micros::min();
  for (int i = 0; i < 5000; ++i) {
    const Micros now = Micros(1s) * i;
    stage->push(data(1), now);
    const Micros delay = *stage->next_wakeup(now) - now;
    ASSERT_TRUE(stage->pop(now + delay));
    lowest = std::min(lowest, delay);
    highest = std::max(highest, delay);
  }
  EXPECT_GE(lowest, Micros(40ms));
  EXPECT_LE(highest, Micros(60ms));
  EXPECT_LT(lowest, Micros(41ms));
  EXPECT_GT(highest, Micros(59ms));
}

TEST(Latency, CloseLeavesBehindTheDataBeforeIt) {
  auto stage = make_stage("latency", {{"latency", int64_t{100}}});
  stage->push(tagged(1), 0ms);
  stage->push(signal(Packet::Kind::close), 1ms);
  const auto out = run_until(*stage, 1ms, 1s);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].packet.kind, Packet::Kind::data);
  EXPECT_EQ(out[1].packet.kind, Packet::Kind::close);
  EXPECT_EQ(out[1].at, Micros(100ms));
}

TEST(Latency, ReconfigureKeepsHeldChunksAndOrder) {
  auto stage = make_stage("latency", {{"latency", int64_t{1000}}});
  stage->push(tagged(1), 0ms);
  stage->reconfigure(*Registry::builtin().settings("latency", {{"latency", int64_t{0}}}));
  stage->push(tagged(2), 10ms);
  EXPECT_FALSE(stage->pop(10ms));  // chunk 2 may not overtake chunk 1
  const auto out = run_until(*stage, 10ms, 5s);
  EXPECT_EQ(tags(out), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(out[1].at, Micros(1000ms));
}

// ---- bandwidth ----

TEST(Bandwidth, AchievesTheConfiguredRate) {
  auto stage = make_stage("bandwidth", {{"rate", int64_t{500}}});  // 500 KB/s
  std::vector<Output> out;
  // Offer 1.4 MB/s for 3 s in 1400-byte chunks.
  for (int i = 0; i < 3000; ++i) {
    const Micros now = Micros(1ms) * i;
    collect(*stage, now, out);
    stage->push(data(1400), now);
  }
  size_t in_window = 0;
  for (const auto& o : out) {
    if (o.at >= 1s && o.at < 2s) in_window += o.packet.bytes.size();
  }
  EXPECT_NEAR(static_cast<double>(in_window), 500'000.0, 500'000.0 * 0.03);
  EXPECT_GT(stage->held_bytes(), 0u);  // the excess waits, nothing is dropped
  auto rest = run_until(*stage, 3s, 20s);
  EXPECT_EQ(total_bytes(out) + total_bytes(rest), 3000u * 1400u);
}

TEST(Bandwidth, SplitsLargeChunksIntoHundredMillisecondPieces) {
  auto stage = make_stage("bandwidth", {{"rate", int64_t{10}}});  // 10 KB/s: 1000 B per 100 ms
  Packet big = data(0);
  for (int i = 0; i < 4500; ++i) big.bytes.push_back(static_cast<uint8_t>(i % 251));
  const auto original = big.bytes;
  stage->push(std::move(big), 0ms);
  const auto out = run_until(*stage, 0ms, 10s);
  ASSERT_EQ(out.size(), 5u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(out[i].packet.bytes.size(), 1000u);
    EXPECT_EQ(out[i].at, Micros(100ms) * (i + 1));
  }
  EXPECT_EQ(out[4].packet.bytes.size(), 500u);
  EXPECT_EQ(out[4].at, Micros(450ms));
  EXPECT_EQ(concatenated(out), original);
}

TEST(Bandwidth, ZeroIsUnlimited) {
  auto stage = make_stage("bandwidth", {{"rate", int64_t{0}}});
  stage->push(data(65536), 5ms);
  auto packet = stage->pop(5ms);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->bytes.size(), 65536u);
}

TEST(Bandwidth, RaisingTheRateReleasesTheBacklogSooner) {
  auto stage = make_stage("bandwidth", {{"rate", int64_t{1}}});  // 1 KB/s
  for (int i = 0; i < 10; ++i) stage->push(tagged(i, 100), 0ms);
  EXPECT_EQ(stage->next_wakeup(0ms), Micros(100ms));  // 100 bytes at 1 KB/s
  stage->reconfigure(*Registry::builtin().settings("bandwidth", {{"rate", int64_t{0}}}));
  const auto out = run_until(*stage, 0ms, 1s);
  ASSERT_EQ(out.size(), 10u);
  EXPECT_TRUE(ascending(tags(out)));
  for (const auto& o : out) EXPECT_EQ(o.at, Micros(0));
}

// ---- slow_close ----

TEST(SlowClose, DelaysOnlyTheClose) {
  EventLog events;
  auto stage = make_stage("slow_close", {{"delay", int64_t{300}}}, 1, 0ms, &events);
  stage->push(tagged(1), 0ms);
  ASSERT_TRUE(stage->pop(0ms));
  stage->push(signal(Packet::Kind::close), 10ms);
  EXPECT_FALSE(stage->pop(309ms));
  const auto close = stage->pop(310ms);
  ASSERT_TRUE(close);
  EXPECT_EQ(close->kind, Packet::Kind::close);
  EXPECT_EQ(counter(*stage, "close_delayed"), 1u);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events.snapshot()[0].action, "close_delayed");
  EXPECT_EQ(events.snapshot()[0].stage, "slow_close_test");
}

// ---- timeout ----

TEST(Timeout, ZeroBlackholesUntilRemovedThenReleasesInOrder) {
  auto stage = make_stage("timeout", {{"timeout", int64_t{0}}});
  for (uint32_t i = 0; i < 5; ++i) stage->push(tagged(i), Micros(1ms) * i);
  EXPECT_FALSE(stage->pop(1h));
  EXPECT_FALSE(stage->next_wakeup(1h));
  EXPECT_EQ(stage->held_packets(), 5u);
  EXPECT_EQ(stage->held_bytes(), 500u);
  const auto held = stage->drain();
  ASSERT_EQ(held.size(), 5u);
  for (uint32_t i = 0; i < 5; ++i) EXPECT_EQ(tag_of(held[i]), i);
  EXPECT_EQ(counter(*stage, "blackhole"), 1u);
  EXPECT_EQ(counter(*stage, "blackholed_bytes"), 500u);
}

TEST(Timeout, ClosesAfterTheTimeoutAndDiscardsWhatItHeld) {
  auto stage = make_stage("timeout", {{"timeout", int64_t{500}}}, 1, 100ms);
  stage->push(tagged(1), 200ms);
  EXPECT_EQ(stage->next_wakeup(200ms), Micros(600ms));
  EXPECT_FALSE(stage->pop(599ms));
  const auto close = stage->pop(600ms);
  ASSERT_TRUE(close);
  EXPECT_EQ(close->kind, Packet::Kind::close);
  EXPECT_FALSE(stage->pop(700ms));
  stage->push(tagged(2), 700ms);
  EXPECT_EQ(stage->held_packets(), 0u);
  EXPECT_FALSE(stage->next_wakeup(700ms));
  EXPECT_EQ(counter(*stage, "close"), 1u);
  EXPECT_EQ(counter(*stage, "discarded_bytes"), 200u);
}

TEST(Timeout, ReconfigureRestartsTheTimer) {
  auto stage = make_stage("timeout", {{"timeout", int64_t{0}}});
  stage->push(tagged(1), 5s);
  EXPECT_FALSE(stage->next_wakeup(5s));
  stage->reconfigure(*Registry::builtin().settings("timeout", {{"timeout", int64_t{1000}}}));
  EXPECT_EQ(stage->next_wakeup(5s), Micros(6s));
  const auto close = stage->pop(6s);
  ASSERT_TRUE(close);
  EXPECT_EQ(close->kind, Packet::Kind::close);
}

// ---- slicer ----

TEST(Slicer, SlicesKeepEveryByteInOrderWithinTheSizeBounds) {
  auto stage = make_stage(
      "slicer",
      {{"average_size", int64_t{100}}, {"size_variation", int64_t{20}}, {"delay", int64_t{10}}}, 5);
  Packet chunk = data(0);
  for (int i = 0; i < 10000; ++i) chunk.bytes.push_back(static_cast<uint8_t>(i % 251));
  const auto original = chunk.bytes;
  stage->push(std::move(chunk), 0ms);
  stage->push(tagged(7, 50), 0ms);  // small: not sliced, waits for the first chunk's slices
  const auto out = run_until(*stage, 0ms, 1s);
  ASSERT_GT(out.size(), 50u);
  std::vector<Output> first(out.begin(), out.end() - 1);
  EXPECT_EQ(concatenated(first), original);
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_LE(first[i].packet.bytes.size(), 120u);
    EXPECT_GE(first[i].packet.bytes.size(), 40u);
    EXPECT_EQ(first[i].at, Micros(10) * i);  // delay after each slice
  }
  EXPECT_EQ(tag_of(out.back().packet), 7u);
  EXPECT_EQ(out.back().at, Micros(10) * first.size());
  EXPECT_EQ(counter(*stage, "sliced"), 1u);
  EXPECT_EQ(counter(*stage, "slices"), first.size());
}

TEST(Slicer, WithoutVariationSlicesAreEven) {
  auto stage = make_stage("slicer", {{"average_size", int64_t{256}}});
  stage->push(data(1024), 0ms);
  const auto out = run_until(*stage, 0ms, 1s);
  ASSERT_EQ(out.size(), 4u);
  for (const auto& o : out) EXPECT_EQ(o.packet.bytes.size(), 256u);
}

// ---- limit_data ----

TEST(LimitData, CutsTheCrossingChunkThenCloses) {
  auto stage = make_stage("limit_data", {{"bytes", int64_t{1000}}});
  stage->push(data(600), 0ms);
  stage->push(data(600), 1ms);
  stage->push(data(600), 2ms);
  const auto out = run_until(*stage, 2ms, 1s);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].packet.bytes.size(), 600u);
  EXPECT_EQ(out[1].packet.bytes.size(), 400u);
  EXPECT_EQ(out[2].packet.kind, Packet::Kind::close);
  EXPECT_EQ(counter(*stage, "truncated_bytes"), 200u);
  EXPECT_EQ(counter(*stage, "discarded_bytes"), 600u);
  EXPECT_EQ(counter(*stage, "close"), 1u);
}

TEST(LimitData, CountSurvivesReconfiguration) {
  auto stage = make_stage("limit_data", {{"bytes", int64_t{1000}}});
  stage->push(data(800), 0ms);
  stage->reconfigure(*Registry::builtin().settings("limit_data", {{"bytes", int64_t{900}}}));
  stage->push(data(800), 1ms);
  const auto out = run_until(*stage, 1ms, 1s);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].packet.bytes.size(), 100u);
  EXPECT_EQ(out[2].packet.kind, Packet::Kind::close);
}

// ---- reset_peer ----

TEST(ResetPeer, ResetsTimeoutAfterTheFirstData) {
  auto stage = make_stage("reset_peer", {{"timeout", int64_t{100}}});
  EXPECT_FALSE(stage->next_wakeup(0ms));  // nothing happens before data arrives
  stage->push(tagged(1), 50ms);
  stage->push(tagged(2), 60ms);
  EXPECT_FALSE(stage->pop(149ms));
  const auto reset = stage->pop(150ms);
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->kind, Packet::Kind::reset);
  stage->push(tagged(3), 160ms);
  EXPECT_FALSE(stage->pop(1s));
  EXPECT_EQ(counter(*stage, "reset"), 1u);
  EXPECT_EQ(counter(*stage, "discarded_bytes"), 300u);
}

TEST(ResetPeer, RemovedBeforeItFiresHandsEverythingOn) {
  auto stage = make_stage("reset_peer", {{"timeout", int64_t{100}}});
  stage->push(tagged(1), 0ms);
  stage->push(tagged(2), 1ms);
  const auto held = stage->drain();
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(tag_of(held[0]), 1u);
  EXPECT_EQ(tag_of(held[1]), 2u);
}

// ---- down ----

TEST(Down, ResetsAtOnceAndDiscardsTheRest) {
  auto stage = make_stage("down", {}, 1, 40ms);
  EXPECT_EQ(stage->next_wakeup(50ms), Micros(40ms));
  stage->push(data(100), 50ms);
  const auto out = run_until(*stage, 50ms, 1s);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].packet.kind, Packet::Kind::reset);
  EXPECT_EQ(counter(*stage, "reset"), 1u);
  EXPECT_EQ(counter(*stage, "discarded_bytes"), 100u);
}

TEST(Down, CloseMode) {
  auto stage = make_stage("down", {{"mode", std::string("close")}});
  const auto packet = stage->pop(0ms);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->kind, Packet::Kind::close);
}

}  // namespace
}  // namespace camleak::impair
