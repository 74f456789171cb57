// Whole-run liveness: a relay that delivers nothing, stops, or drops most frames must fail the
// default checks; faults on the stream's path (and the recovery after them) are excused.
#include <gtest/gtest.h>

#include "harness/oracle/liveness_tracker.hpp"
#include "harness/oracle/oracle.hpp"
#include "oracle_fixture.hpp"

namespace camleak::oracle {
namespace {

using namespace std::chrono_literals;
using namespace camleak::oracle::test;

constexpr Micros kBound = 10s;

// A camera sending 10 frames per second from `from` to `until`, each delivered `latency` later
// unless `lost(t)`.
template <typename Lost>
void stream(LivenessTracker& t, Micros from, Micros until, Micros latency, Lost lost) {
  for (Micros at = from; at < until; at += 100ms) {
    t.on_sent(at);
    if (!lost(at)) t.on_new_frame(at + latency, at);
  }
}

// A 30 s run with the stream entitled throughout and faults excusing `excused`: the figures at
// its end of a camera sending all along, its frames 40 ms to the hub unless `lost(t)`.
template <typename Lost>
LivenessFigures thirty_second_run(Lost lost, std::vector<TimeWindow> excused = {}) {
  LivenessTracker t({TimeWindow{}}, std::move(excused));
  stream(t, 0s, 30s, 40ms, lost);
  return t.finish(30s, kBound);
}

TEST(LivenessTrackerTest, HealthyStreamHasShortFirstFrameAndNoStall) {
  const auto f = thirty_second_run([](Micros) { return false; });
  ASSERT_TRUE(f.first_frame);
  EXPECT_EQ(*f.first_frame, 40ms);
  EXPECT_FALSE(f.first_frame_missing);
  EXPECT_EQ(f.max_stall, 100ms);
  // The ratio counts from the first frame's arrival: the frame sent at 0 s is before it.
  EXPECT_EQ(f.sent, 299u);
  EXPECT_EQ(f.delivered, 299u);
}

TEST(LivenessTrackerTest, BlackHoleMissesItsFirstFrameAndStallsTheWholeRun) {
  const auto f = thirty_second_run([](Micros) { return true; });
  EXPECT_TRUE(f.first_frame_missing);
  EXPECT_EQ(*f.first_frame, 30s);
  EXPECT_EQ(f.max_stall, 30s);
  EXPECT_EQ(f.delivered, 0u);
  EXPECT_EQ(f.sent, 0u);  // no first frame: nothing for the ratio, time to first frame fails
}

TEST(LivenessTrackerTest, OutageInsideAnExcusedFaultIsNotAStall) {
  // A partition 10-14 s plus 3 s recovery allowance: the 10-16 s gap is excused.
  const auto f =
      thirty_second_run([](Micros at) { return at >= 10s && at < 16s; }, {TimeWindow{10s, 17s}});
  EXPECT_LE(f.max_stall, 200ms);
  EXPECT_EQ(f.sent, 229u);  // 70 of the 300 frames fall in excused time, one before the first frame
  EXPECT_EQ(f.delivered, 229u);
}

TEST(LivenessTrackerTest, OutageOutsideFaultsIsAStallAndLowersTheRatio) {
  const auto f =
      thirty_second_run([](Micros at) { return at >= 10s && at < 25s; }, {TimeWindow{2s, 3s}});
  EXPECT_GE(f.max_stall, 15s);
  EXPECT_LT(f.max_stall, 15'200ms);
  EXPECT_EQ(f.max_stall_from, 9'940ms);  // after the last frame before the outage arrived
  ASSERT_GT(f.sent, 0u);
  EXPECT_LT(static_cast<double>(f.delivered) / static_cast<double>(f.sent), 0.5);
}

TEST(LivenessTrackerTest, FirstFrameIsJudgedPerShareWindowFromItsFirstUnexcusedMoment) {
  // Shared 5-15 s and 20-28 s; a fault covers 20-22 s. Frames arrive 1 s into the first window
  // and 3 s after the second one starts (1 s after the fault ends).
  LivenessTracker t({TimeWindow{5s, 15s}, TimeWindow{20s, 28s}}, {TimeWindow{20s, 22s}});
  stream(t, 6s, 15s, 0ms, [](Micros) { return false; });
  stream(t, 23s, 28s, 0ms, [](Micros) { return false; });
  const auto f = t.finish(30s, kBound);
  ASSERT_TRUE(f.first_frame);
  EXPECT_EQ(*f.first_frame, 1s);
  EXPECT_FALSE(f.first_frame_missing);
  // Not a stall: 15-20 s is outside the windows; 28-30 s is too.
  EXPECT_EQ(f.max_stall, 1s);
}

TEST(LivenessTrackerTest, RelayThatDeliversOneFrameThenDropsMostFailsTheRatio) {
  uint64_t n = 0;
  const auto f = thirty_second_run([&](Micros at) { return at > 0s && (n++ % 3) != 0; });
  ASSERT_GT(f.sent, 0u);
  EXPECT_LT(static_cast<double>(f.delivered) / static_cast<double>(f.sent), 0.4);
  EXPECT_LE(f.max_stall, 400ms);  // frequent enough never to stall: only the ratio catches it
}

TEST(LivenessTrackerTest, AShareTooShortToJudgeIsNotAMissingFirstFrame) {
  LivenessTracker t({TimeWindow{25s, Micros::max()}}, {});
  const auto f = t.finish(30s, kBound);
  EXPECT_FALSE(f.first_frame);
  EXPECT_FALSE(f.first_frame_missing);
}

// The Oracle wires it: an entitled stream per hub and watched camera, faults excuse only the
// streams on their path, and cameras that never published fail cameras_published.
class OracleLivenessTest : public ::testing::Test {
 protected:
  static GroundTruth truth() {
    GroundTruth t = sample_truth();
    t.hubs = {{.name = "hub-1", .account = "alice", .watches = {"cam-a", "cam-b"}},
              {.name = "hub-2", .account = "bob", .watches = {"cam-b"}}};
    return t;
  }
  static Checks checks() {
    Checks c;
    c.liveness = {.enabled = true,
                  .first_frame = 5s,
                  .max_stall = 5s,
                  .fault_recovery = 2s,
                  .min_delivered_ratio = 0.5};
    return c;
  }
  // bob's cam-b delivered to hub-1 (alice) every 100 ms from 10 s until before `until`: shared
  // with alice until the revoke at 20 s, which has no grace.
  static Results cam_b_to_alice_until(Micros until) {
    GroundTruth t = truth();
    t.revoke_grace = 0s;
    Oracle oracle(t, {{"all", 0s, 30s}}, {}, Checks{});
    uint64_t seq = 0;
    for (Micros at = 10s; at < until; at += 100ms, ++seq)
      oracle.judge(frame("cam-b", 202, seq, at, at + 30ms, "bob"));
    return oracle.finish(30s);
  }
  static const CheckResult& check(const Results& r, const std::string& name) {
    for (const auto& c : r.checks)
      if (c.check == name) return c;
    ADD_FAILURE() << "no check " << name;
    static CheckResult none;
    return none;
  }
};

TEST_F(OracleLivenessTest, NothingDeliveredFailsEveryLivenessCheck) {
  Oracle oracle(truth(), {{"all", 0s, 30s}}, {}, checks());
  for (Micros at = 0s; at < 30s; at += 100ms) {
    oracle.record_sent("cam-a", at);
    oracle.record_sent("cam-b", at);
  }
  const Results r = oracle.finish(30s);
  EXPECT_EQ(r.liveness.size(), 3u);
  EXPECT_FALSE(check(r, "cameras_published").passed);
  EXPECT_FALSE(check(r, "time_to_first_frame").passed);
  EXPECT_FALSE(check(r, "max_stall_outside_faults").passed);
  // No stream ever started, so there is no ratio to judge; but a run that judged nothing has
  // proven nothing.
  EXPECT_FALSE(check(r, "frames_judged").passed);
  EXPECT_EQ(r.unpublished, (std::vector<std::string>{"cam-a", "cam-b", "cam-c"}));
}

TEST_F(OracleLivenessTest, HealthyDeliveryPassesAndAFaultOnlyExcusesItsOwnPath) {
  // hub-2's live link is partitioned 10-20 s; hub-1 loses cam-a for the same span: a stall.
  Oracle oracle(truth(), {{"all", 0s, 30s}},
                {{.name = "partition live:hub-2",
                  .link = "live:hub-2",
                  .start = 10s,
                  .end = 20s,
                  .devices = {"hub-2"}}},
                checks());
  for (const char* camera : {"cam-a", "cam-b", "cam-c"})
    oracle.record(Operation{.process = camera,
                            .type = OperationType::publish,
                            .camera = camera,
                            .completion = CompletionType::ok});
  uint64_t seq = 0;
  for (Micros at = 0s; at < 30s; at += 100ms, ++seq) {
    oracle.record_sent("cam-a", at);
    oracle.record_sent("cam-b", at);
    const bool outage = at >= 10s && at < 20s;
    if (!outage) {
      oracle.judge(frame("cam-a", 101, seq, at, at + 30ms, "alice"));
      Observation o = frame("cam-b", 202, seq, at, at + 30ms, "bob");
      o.hub = "hub-2";
      o.account = "bob";
      oracle.judge(o);
    }
    // The share [10 s, 20 s) of cam-b with alice delivers throughout.
    if (at >= 10s && at < 20s) oracle.judge(frame("cam-b", 202, seq, at, at + 30ms, "bob"));
  }
  const Results r = oracle.finish(30s);
  EXPECT_TRUE(check(r, "cameras_published").passed);
  EXPECT_TRUE(check(r, "time_to_first_frame").passed) << check(r, "time_to_first_frame").message;
  const auto& stall = check(r, "max_stall_outside_faults");
  EXPECT_FALSE(stall.passed);
  EXPECT_NE(stall.message.find("hub-1 <- cam-a"), std::string::npos) << stall.message;
  for (const auto& l : r.liveness) {
    if (l.hub == "hub-2") {
      EXPECT_LE(l.max_stall, 200ms) << "hub-2's outage is inside its fault";
    }
  }
}

// A relay whose authorization runs only per request keeps streaming to a revoked account: the
// revoke's enforcement latency is reported and, with the default grace of 0, fails.
TEST_F(OracleLivenessTest, RevokeEnforcementLatencyIsMeasuredAndJudged) {
  const Results r = cam_b_to_alice_until(23s);  // 3 s past the revoke at 20 s
  ASSERT_EQ(r.revokes.size(), 1u);
  EXPECT_EQ(r.revokes[0].hub, "hub-1");
  EXPECT_EQ(r.revokes[0].revoked_at, 20s);
  EXPECT_EQ(r.revokes[0].frames_after, 30u);
  EXPECT_EQ(r.revokes[0].latency, 2'930ms);
  EXPECT_FALSE(check(r, "revoke_grace").passed);
  EXPECT_GT(r.count(VerdictKind::leak), 0u);
}

TEST_F(OracleLivenessTest, RevokeHonouredPassesTheGraceCheck) {
  const Results r = cam_b_to_alice_until(19'900ms);
  ASSERT_EQ(r.revokes.size(), 1u);
  EXPECT_EQ(r.revokes[0].frames_after, 0u);
  EXPECT_TRUE(check(r, "revoke_grace").passed) << check(r, "revoke_grace").message;
}

}  // namespace
}  // namespace camleak::oracle
