#include "harness/oracle/oracle.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/core/errors.hpp"
#include "oracle_fixture.hpp"

namespace camleak::oracle {
namespace {

using namespace camleak::oracle::test;
using ::testing::HasSubstr;

const CheckResult* find_check(const Results& r, const std::string& check,
                              const std::string& phase) {
  for (const auto& c : r.checks)
    if (c.check == check && c.phase == phase) return &c;
  return nullptr;
}

const StreamPhaseMetrics* find_stream(const Results& r, const std::string& hub,
                                      const std::string& camera, const std::string& phase) {
  for (const auto& m : r.streams)
    if (m.hub == hub && m.camera == camera && m.phase == phase) return &m;
  return nullptr;
}

Operation probe(OperationType type, CompletionType completion, int status, Micros at) {
  return Operation{.process = "hub-1",
                   .account = "alice",
                   .type = type,
                   .camera = "cam-c",
                   .invoked_at = at,
                   .completed_at = at + 10ms,
                   .completion = completion,
                   .status_code = status};
}

// Feeds cam-a frames to hub-1 every `gap` from `from` (inclusive) to `to` (exclusive).
Micros feed(Oracle& oracle, ManualClock& clock, uint64_t& seq, Micros from, Micros to, Micros gap) {
  for (clock.set(from); clock.now() < to; clock.advance(gap)) {
    const auto v = oracle.judge(frame("cam-a", 101, seq, clock.now() - 20ms, clock.now()));
    EXPECT_EQ(v.kind, VerdictKind::ok);
    ++seq;
  }
  return clock.now();
}

// An oracle over one phase "all" (0-100 s) and the cam-a frames fed to it, each received when
// captured: for the freeze rule, which looks at the gaps between frames alone.
struct FrameGaps {
  Oracle oracle{sample_truth(), {{"all", 0s, 100s}}, {}, {}};
  ManualClock clock;
  uint64_t seq = 1;

  // Frames every `period` from 0 until before `until`; returns the last one's time.
  Micros steady(Micros until, Micros period) {
    return feed(oracle, clock, seq, 0s, until, period) - period;
  }
  // One more frame, at `t`; returns t.
  Micros frame_at(Micros t) {
    oracle.judge(frame("cam-a", 101, seq++, t, t));
    return t;
  }
  // hub-1's metrics of cam-a in phase "all", the run ending at `end`.
  const StreamPhaseMetrics& stream_until(Micros end) {
    results = oracle.finish(end);
    return *find_stream(results, "hub-1", "cam-a", "all");
  }
  Results results;
};

TEST(OracleTest, CountsEveryVerdictAndKeepsOnlyNonOkInFull) {
  Oracle oracle(sample_truth(), {{"all", 0s, 60s}}, {}, {});
  ManualClock clock{1s};
  EXPECT_EQ(oracle.judge(frame("cam-a", 101, 1, clock.now(), clock.now())).kind, VerdictKind::ok);
  EXPECT_EQ(oracle.judge(frame("cam-c", 303, 2, clock.now(), clock.now())).kind, VerdictKind::leak);
  EXPECT_EQ(oracle.judge(snapshot("cam-a", 999, clock.now())).kind, VerdictKind::unverifiable);
  const auto r = oracle.finish(2s);
  EXPECT_EQ(r.count(VerdictKind::ok), 1u);
  EXPECT_EQ(r.count(VerdictKind::leak), 1u);
  EXPECT_EQ(r.count(VerdictKind::unverifiable), 1u);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].verdict.kind, VerdictKind::leak);
  EXPECT_THAT(r.findings[0].phases, ::testing::ElementsAre("all"));
  EXPECT_FALSE(r.passed());
}

TEST(OracleTest, LeakCheckMessageNamesHubAccountCameraOwnerTimeAndSequence) {
  Oracle oracle(sample_truth(), {{"storm", 0s, 60s}}, {}, {});
  oracle.judge(frame("cam-c", 303, 4242, 12340ms, 12345ms));
  const auto r = oracle.finish(60s);
  for (const std::string phase : {"storm", "run"}) {
    const auto* c = find_check(r, "no_leaks", phase);
    ASSERT_NE(c, nullptr) << phase;
    EXPECT_FALSE(c->passed);
    EXPECT_EQ(c->measured, 1);
    EXPECT_THAT(c->message, HasSubstr("hub-1"));
    EXPECT_THAT(c->message, HasSubstr("alice"));
    EXPECT_THAT(c->message, HasSubstr("cam-c"));
    EXPECT_THAT(c->message, HasSubstr("carol"));
    EXPECT_THAT(c->message, HasSubstr("12.345s"));
    EXPECT_THAT(c->message, HasSubstr("4242"));
  }
}

TEST(OracleTest, LeakIsAttributedToThePhaseItHappenedIn) {
  Oracle oracle(sample_truth(), {{"calm", 0s, 10s}, {"storm", 10s, 20s}}, {}, {});
  oracle.judge(snapshot("cam-a", 303, 15s));
  const auto r = oracle.finish(20s);
  EXPECT_TRUE(find_check(r, "no_leaks", "calm")->passed);
  EXPECT_FALSE(find_check(r, "no_leaks", "storm")->passed);
  EXPECT_FALSE(find_check(r, "no_leaks", "run")->passed);
}

TEST(OracleTest, FindingsAreCappedButCountsAreNot) {
  Oracle oracle(sample_truth(), {}, {}, {}, OracleOptions{.max_findings = 2});
  for (int i = 0; i < 5; ++i) oracle.judge(snapshot("cam-a", 303, Micros{i * 1000}));
  const auto r = oracle.finish(1s);
  EXPECT_EQ(r.count(VerdictKind::leak), 5u);
  EXPECT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings_dropped, 3u);
}

TEST(OracleTest, IntegrityChecksFailOnSpliceAndForged) {
  Oracle oracle(sample_truth(), {}, {}, {});
  auto forged = frame("cam-a", 101, 1, 1s, 1s);
  forged.sei->hmac_valid = false;
  oracle.judge(forged);
  const auto r = oracle.finish(2s);
  EXPECT_TRUE(find_check(r, "no_splices", "run")->passed);
  EXPECT_FALSE(find_check(r, "no_forgeries", "run")->passed);
  EXPECT_TRUE(find_check(r, "no_leaks", "run")->passed);
}

TEST(OracleTest, ProbeAnsweredOkViolatesAndInfoIsNotAFalseAlarm) {
  Checks checks{
      .phases = {{.phase = "a", .probes_refused = true}, {.phase = "b", .probes_refused = true}}};
  Oracle oracle(sample_truth(), {{"a", 0s, 10s}, {"b", 10s, 20s}}, {}, checks);
  oracle.record(probe(OperationType::probe_play, CompletionType::fail, 401, 1s));
  oracle.record(probe(OperationType::probe_snapshot, CompletionType::fail, 404, 2s));
  oracle.record(probe(OperationType::probe_play, CompletionType::info, 0, 3s));
  oracle.record(probe(OperationType::probe_play, CompletionType::fail, 503, 4s));
  oracle.record(probe(OperationType::probe_snapshot, CompletionType::ok, 200, 15s));
  const auto r = oracle.finish(20s);

  const auto* a = find_check(r, "probes_refused", "a");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->passed) << a->message;
  EXPECT_THAT(a->message, HasSubstr("1 outcome unknown"));
  const auto* b = find_check(r, "probes_refused", "b");
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(b->passed);
  EXPECT_EQ(b->measured, 1);

  ASSERT_EQ(r.probe_violations.size(), 1u);
  EXPECT_EQ(r.probe_violations[0].invoked_at, 15s);
  const auto& run = r.probes.back();
  EXPECT_EQ(run.phase, "run");
  EXPECT_EQ(run.total, 5u);
  EXPECT_EQ(run.refused, 2u);
  EXPECT_EQ(run.unknown, 1u);
  EXPECT_EQ(run.failed_otherwise, 1u);
  EXPECT_EQ(run.not_refused, 1u);
}

TEST(OracleTest, OperationHistoryIsCountedPerTypeAndCompletion) {
  Oracle oracle(sample_truth(), {{"a", 0s, 10s}}, {}, {});
  auto play = probe(OperationType::play, CompletionType::ok, 200, 1s);
  play.camera = "cam-a";
  oracle.record(play);
  play.completion = CompletionType::info;  // connection cut mid-answer
  oracle.record(play);
  const auto r = oracle.finish(10s);
  ASSERT_EQ(r.operations.size(), 2u);  // phase "a" and "run"
  EXPECT_EQ(r.operations[0].phase, "a");
  EXPECT_EQ(r.operations[0].type, OperationType::play);
  EXPECT_EQ(r.operations[0].ok, 1u);
  EXPECT_EQ(r.operations[0].info, 1u);
  EXPECT_EQ(r.operations[0].fail, 0u);
  EXPECT_TRUE(r.passed());
}

TEST(OracleTest, FreezeFollowsTheWebRtcRule) {
  // 20 frames 100 ms apart (19 gaps), then a 300 ms gap: average (1900+300)/20 = 110 ms,
  // threshold max(330, 260) = 330 ms: no freeze.
  FrameGaps first;
  Micros t = first.frame_at(first.steady(2000ms, 100ms) + 300ms);
  EXPECT_EQ(first.stream_until(t).freezes, 0u);

  // (A fresh oracle for the second half keeps the two cases independent.)
  // 400 ms gap: average (1900+400)/20 = 115 ms, threshold max(345, 265) = 345 ms: a freeze.
  FrameGaps second;
  t = second.frame_at(second.steady(2000ms, 100ms) + 400ms);
  const auto& m = second.stream_until(t);
  EXPECT_EQ(m.freezes, 1u);
  EXPECT_EQ(m.freeze_total, 400ms);
}

TEST(OracleTest, FreezeUsesTheFixed150MsIncreaseAtHighFrameRates) {
  FrameGaps gaps;
  // 40 ms frames (19 gaps = 760 ms). Gap 190 ms: average 47.5, threshold max(142.5, 197.5): none.
  Micros t = gaps.frame_at(gaps.steady(800ms, 40ms) + 190ms);
  // Next gap 210 ms: average (760+190+210)/21 = 55.2, threshold max(165.7, 205.2): a freeze.
  t = gaps.frame_at(t + 210ms);
  EXPECT_EQ(gaps.stream_until(t).freezes, 1u);
}

TEST(OracleTest, CountsReordersAndDuplicatesAndIgnoresCameraRestarts) {
  Oracle oracle(sample_truth(), {{"all", 0s, 100s}}, {}, {});
  auto at = [](int ms) { return Micros{ms * 1000}; };
  for (auto [seq, ms] : std::vector<std::pair<uint64_t, int>>{
           {1, 100}, {2, 200}, {4, 400}, {3, 300}, {3, 300}, {5, 500}, {5, 500}}) {
    oracle.judge(frame("cam-a", 101, seq, at(ms), at(ms) + 50ms));
  }
  // The camera restarts: sequence 0 again, but a later picture. Not a reorder.
  oracle.judge(frame("cam-a", 101, 0, at(900), at(950)));
  oracle.judge(frame("cam-a", 101, 1, at(1000), at(1050)));
  const auto r = oracle.finish(2s);
  const auto* m = find_stream(r, "hub-1", "cam-a", "all");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->reorders, 1u);
  EXPECT_EQ(m->duplicates, 2u);
  EXPECT_EQ(m->delivered, 7u);
}

TEST(OracleTest, DuplicatesDoNotEndAStall) {
  Checks checks{.phases = {{.phase = "all", .max_stall = 1s}}};
  Oracle oracle(sample_truth(), {{"all", 0s, 10s}}, {}, checks);
  // A cache serving the same frame over and over for 3 seconds.
  for (int i = 0; i <= 30; ++i) oracle.judge(frame("cam-a", 101, 7, 0s, Micros{i * 100'000}));
  oracle.judge(frame("cam-a", 101, 8, 3s, 3s));
  const auto r = oracle.finish(3s);
  const auto* c = find_check(r, "max_stall", "all");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->passed);
  EXPECT_EQ(c->measured, 3000);
  EXPECT_THAT(c->message, HasSubstr("hub-1 <- cam-a"));
}

TEST(OracleTest, StallIsSplitAtPhaseBoundariesAndCountsTheTrailingSpan) {
  Checks checks{.phases = {{.phase = "before", .max_stall = 500ms},
                           {.phase = "outage", .max_stall = 500ms},
                           {.phase = "after", .max_stall = 500ms}}};
  Oracle oracle(sample_truth(), {{"before", 0s, 5s}, {"outage", 5s, 8s}, {"after", 8s, 12s}}, {},
                checks);
  ManualClock clock;
  uint64_t seq = 1;
  feed(oracle, clock, seq, 0s, 4900ms, 100ms);   // last frame at 4.8 s
  feed(oracle, clock, seq, 8200ms, 11s, 100ms);  // frames resume at 8.2 s, stop at 10.9 s
  const auto r = oracle.finish(12s);
  EXPECT_EQ(find_check(r, "max_stall", "before")->measured, 200);  // 4.8 s .. 5 s
  EXPECT_EQ(find_check(r, "max_stall", "outage")->measured, 3000);
  EXPECT_FALSE(find_check(r, "max_stall", "outage")->passed);
  EXPECT_EQ(find_check(r, "max_stall", "after")->measured, 1100);  // 10.9 s .. 12 s
  EXPECT_TRUE(find_check(r, "max_stall", "before")->passed);
}

TEST(OracleTest, PlayRequestStartsTheStreamSoAHubThatNeverGetsAFrameStalls) {
  Checks checks{.phases = {{.phase = "all", .max_stall = 2s}}};
  Oracle oracle(sample_truth(), {{"all", 0s, 10s}}, {}, checks);
  oracle.record(Operation{.process = "hub-2",
                          .account = "bob",
                          .type = OperationType::play,
                          .camera = "cam-b",
                          .invoked_at = 1s,
                          .completed_at = 1100ms,
                          .completion = CompletionType::fail,
                          .status_code = 503});
  const auto r = oracle.finish(10s);
  const auto* c = find_check(r, "max_stall", "all");
  EXPECT_FALSE(c->passed);
  EXPECT_EQ(c->measured, 9000);
  EXPECT_THAT(c->message, HasSubstr("hub-2 <- cam-b"));
}

TEST(OracleTest, DeliveredRatioComparesFramesReceivedWithFramesSent) {
  Checks checks{.phases = {{.phase = "calm", .min_delivered_ratio = 0.9},
                           {.phase = "lossy", .min_delivered_ratio = 0.9}}};
  Oracle oracle(sample_truth(), {{"calm", 0s, 10s}, {"lossy", 10s, 20s}}, {}, checks);
  uint64_t seq = 1;
  for (int i = 0; i < 200; ++i) {
    const Micros t = Micros{i * 100'000};
    oracle.record_sent("cam-a", t);
    const bool lost = t >= 10s && i % 2 == 0;  // half the frames lost in the lossy phase
    if (!lost) oracle.judge(frame("cam-a", 101, seq, t, t + 10ms));
    ++seq;
  }
  const auto r = oracle.finish(20s);
  const auto* calm = find_stream(r, "hub-1", "cam-a", "calm");
  ASSERT_NE(calm, nullptr);
  EXPECT_EQ(calm->sent, 100u);
  EXPECT_EQ(calm->delivered, 100u);
  EXPECT_TRUE(find_check(r, "min_delivered_ratio", "calm")->passed);
  const auto* lossy = find_check(r, "min_delivered_ratio", "lossy");
  EXPECT_FALSE(lossy->passed);
  EXPECT_DOUBLE_EQ(lossy->measured, 0.5);
  EXPECT_THAT(lossy->message, HasSubstr("50 of 100"));
}

TEST(OracleTest, StreamStartedMidPhaseIsOnlyChargedForFramesSentAfterItStarted) {
  Oracle oracle(sample_truth(), {{"all", 0s, 10s}}, {}, {});
  for (int i = 0; i < 50; ++i) oracle.record_sent("cam-a", Micros{i * 100'000});
  oracle.judge(frame("cam-a", 101, 50, 5s, 5s));  // the hub joins at 5 s
  for (int i = 50; i < 100; ++i) oracle.record_sent("cam-a", Micros{i * 100'000});
  const auto r = oracle.finish(10s);
  EXPECT_EQ(find_stream(r, "hub-1", "cam-a", "all")->sent, 50u);
}

// cam-b frames to hub-1 (alice, a sharee of cam-b during [10s, 20s) in the sample truth): the
// camera sends every 100 ms from 0 to `end`; hub-1 receives those sent in [from, to).
void feed_shared(Oracle& oracle, Micros from, Micros to, Micros end) {
  uint64_t seq = 1;
  for (Micros t{0}; t < end; t += 100ms, ++seq) {
    oracle.record_sent("cam-b", t);
    if (t >= from && t < to) oracle.judge(frame("cam-b", 202, seq, t, t + 10ms, "bob"));
  }
}

TEST(OracleTest, SharedStreamIsNotChargedForTheTimeAfterTheRevoke) {
  Checks checks{.phases = {{.phase = "all", .max_stall = 1s, .min_delivered_ratio = 0.95}}};
  Oracle oracle(sample_truth(), {{"all", 0s, 30s}}, {}, checks);
  feed_shared(oracle, 10s, 20s, 30s);  // watched for the whole share, nothing after the revoke
  const auto r = oracle.finish(30s);
  const auto* m = find_stream(r, "hub-1", "cam-b", "all");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->max_stall, 100ms);
  EXPECT_EQ(m->sent, 100u);  // 10 s .. 19.9 s: the frames sent while alice could watch
  EXPECT_EQ(m->delivered, 100u);
  EXPECT_TRUE(find_check(r, "max_stall", "all")->passed);
  EXPECT_TRUE(find_check(r, "min_delivered_ratio", "all")->passed);
}

TEST(OracleTest, SharedStreamThatStallsDuringTheShareIsStillCaught) {
  Checks checks{.phases = {{.phase = "all", .max_stall = 1s, .min_delivered_ratio = 0.95}}};
  Oracle oracle(sample_truth(), {{"all", 0s, 30s}}, {}, checks);
  feed_shared(oracle, 10s, 15s, 30s);  // the stream dies half way through the share
  const auto r = oracle.finish(30s);
  const auto* stall = find_check(r, "max_stall", "all");
  EXPECT_FALSE(stall->passed);
  EXPECT_EQ(stall->measured, 5090);  // last frame received at 14.91 s, share ends at 20 s
  EXPECT_FALSE(find_check(r, "min_delivered_ratio", "all")->passed);
  EXPECT_EQ(find_stream(r, "hub-1", "cam-b", "all")->sent, 100u);
}

TEST(OracleTest, ShareGrantedAgainResumesTheStreamWithoutAFreeze) {
  auto truth = sample_truth();
  truth.shares.push_back({.camera = "cam-b", .account = "alice", .from = 25s, .until = 28s});
  Checks checks{.phases = {{.phase = "all", .max_stall = 1s}}};
  Oracle oracle(std::move(truth), {{"all", 0s, 30s}}, {}, checks);
  uint64_t seq = 1;
  for (Micros t{0}; t < 30s; t += 100ms, ++seq) {
    oracle.record_sent("cam-b", t);
    const bool shared = (t >= 10s && t < 20s) || (t >= 25s && t < 28s);
    if (shared) oracle.judge(frame("cam-b", 202, seq, t, t + 10ms, "bob"));
  }
  const auto r = oracle.finish(30s);
  const auto* m = find_stream(r, "hub-1", "cam-b", "all");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->freezes, 0u);
  EXPECT_EQ(m->max_stall, 100ms);
  EXPECT_EQ(m->sent, 130u);
  EXPECT_EQ(m->delivered, 130u);
}

TEST(OracleTest, AddSentAcceptsPerPhaseTotalsAndRejectsUnknownNames) {
  Oracle oracle(sample_truth(), {{"all", 0s, 10s}}, {}, {});
  oracle.judge(frame("cam-a", 101, 1, 1s, 1s));
  oracle.add_sent("cam-a", "all", 4);
  EXPECT_THROW(oracle.add_sent("cam-z", "all", 1), InputError);
  EXPECT_THROW(oracle.add_sent("cam-a", "nope", 1), InputError);
  EXPECT_THROW(oracle.record_sent("cam-z", 1s), InputError);
  const auto r = oracle.finish(10s);
  EXPECT_DOUBLE_EQ(*find_stream(r, "hub-1", "cam-a", "all")->delivered_ratio, 0.25);
}

TEST(OracleTest, RecoveryIsTimeToFirstOkDeliveryAfterTheFaultEnds) {
  Checks checks{.phases = {{.phase = "recovery", .max_recovery = 1s}}};
  Oracle oracle(sample_truth(), {{"fault", 5s, 8s}, {"recovery", 8s, 20s}},
                {{.name = "partition uplink", .link = "uplink", .start = 5s, .end = 8s}}, checks);
  // hub-1 watched before the fault and recovers at 8.4 s.
  oracle.judge(frame("cam-a", 101, 1, 4s, 4s));
  oracle.judge(frame("cam-a", 101, 2, 8400ms, 8400ms));
  oracle.judge(frame("cam-a", 101, 3, 9s, 9s));
  // hub-3 only starts after the fault: nothing to recover from.
  auto late = frame("cam-a", 101, 1, 9s, 9s);
  late.hub = "hub-3";
  oracle.judge(late);
  auto r = oracle.finish(20s);
  ASSERT_EQ(r.recoveries.size(), 1u);
  EXPECT_EQ(r.recoveries[0].hub, "hub-1");
  EXPECT_TRUE(r.recoveries[0].recovered);
  EXPECT_EQ(r.recoveries[0].time, 400ms);
  const auto* c = find_check(r, "max_recovery", "recovery");
  EXPECT_TRUE(c->passed);
  EXPECT_EQ(c->measured, 400);
}

TEST(OracleTest, HubThatNeverRecoversFailsTheRecoveryCheck) {
  Checks checks{.phases = {{.phase = "recovery", .max_recovery = 1s}}};
  Oracle oracle(sample_truth(), {{"recovery", 8s, 20s}},
                {{.name = "restart sut", .start = 5s, .end = 8s}}, checks);
  auto bob = frame("cam-b", 202, 1, 4s, 4s);
  bob.hub = "hub-2";
  bob.account = "bob";
  oracle.judge(bob);
  // A leak after the fault is not a recovery.
  auto leak = bob;
  leak.sei = sei("cam-c", "carol", 1, 9s);
  leak.pixel_code = 303;
  leak.received_at = 9s;
  EXPECT_EQ(oracle.judge(leak).kind, VerdictKind::leak);
  const auto r = oracle.finish(20s);
  ASSERT_EQ(r.recoveries.size(), 1u);
  EXPECT_FALSE(r.recoveries[0].recovered);
  EXPECT_EQ(r.recoveries[0].time, 12s);
  const auto* c = find_check(r, "max_recovery", "recovery");
  EXPECT_FALSE(c->passed);
  EXPECT_THAT(c->message, HasSubstr("never recovered"));
}

TEST(OracleTest, PhaseFreshnessOverridesTheDefaultBound) {
  Checks checks{
      .phases = {{.phase = "storm", .freshness = 3s}, {.phase = "calm", .freshness = 1s}}};
  Oracle oracle(sample_truth(), {{"calm", 0s, 10s}, {"storm", 10s, 20s}}, {}, checks);
  EXPECT_EQ(oracle.judge(frame("cam-a", 101, 1, 3s, 5s)).kind, VerdictKind::stale);
  EXPECT_EQ(oracle.judge(frame("cam-a", 101, 2, 13s, 15s)).kind, VerdictKind::ok);
  const auto r = oracle.finish(20s);
  const auto* calm = find_check(r, "freshness", "calm");
  EXPECT_FALSE(calm->passed);
  EXPECT_EQ(calm->measured, 2000);
  EXPECT_EQ(calm->limit, 1000);
  const auto* storm = find_check(r, "freshness", "storm");
  EXPECT_TRUE(storm->passed);
  EXPECT_EQ(storm->limit, 3000);
  // A STALE frame is delivered but not fresh.
  const auto* m = find_stream(r, "hub-1", "cam-a", "calm");
  EXPECT_EQ(m->delivered, 1u);
  EXPECT_EQ(m->stale, 1u);
}

TEST(OracleTest, SnapshotOfACameraSilentForLongerThanTheBoundIsStale) {
  Checks checks{.phases = {{.phase = "all", .freshness = 1s}}};
  Oracle oracle(sample_truth(), {{"all", 0s, 60s}}, {}, checks);
  // Before cam-a ever sent anything, nothing bounds the snapshot's age.
  EXPECT_EQ(oracle.judge(snapshot("cam-a", 101, 500ms)).kind, VerdictKind::ok);
  oracle.record_sent("cam-a", 1s);
  oracle.record_sent("cam-a", 2s);
  auto v = oracle.judge(snapshot("cam-a", 101, 3s));  // exactly at the bound
  EXPECT_EQ(v.kind, VerdictKind::ok);
  ASSERT_TRUE(v.age);
  EXPECT_EQ(*v.age, 1s);
  // cam-a goes silent (a partition); a cache keeps serving its old picture.
  v = oracle.judge(snapshot("cam-a", 101, 3500ms));
  EXPECT_EQ(v.kind, VerdictKind::stale);
  EXPECT_THAT(v.reason, HasSubstr("1.500s"));
  // A leak stays a leak whatever the age.
  EXPECT_EQ(oracle.judge(snapshot("cam-a", 303, 3500ms)).kind, VerdictKind::leak);
  const auto r = oracle.finish(60s);
  const auto* c = find_check(r, "freshness", "all");
  EXPECT_FALSE(c->passed);
  EXPECT_EQ(c->measured, 1500);
}

TEST(OracleTest, FrameRatesAreBucketedPerHub) {
  Oracle oracle(sample_truth(), {}, {}, {}, OracleOptions{.rate_bucket = 1s});
  for (int i = 0; i < 25; ++i)
    oracle.judge(frame("cam-a", 101, i + 1, Micros{i * 100'000}, Micros{i * 100'000}));
  const auto r = oracle.finish(3s);
  ASSERT_EQ(r.frame_rates.size(), 2u);  // hub-1 plus hub-2 from the ground truth (no frames)
  EXPECT_EQ(r.frame_rates[0].hub, "hub-1");
  EXPECT_THAT(r.frame_rates[0].frames, ::testing::ElementsAre(10u, 10u, 5u));
  EXPECT_EQ(r.frame_rates[1].hub, "hub-2");
  EXPECT_TRUE(r.frame_rates[1].frames.empty());
}

TEST(OracleTest, RejectsChecksForUnknownPhasesAndTheReservedRunName) {
  Checks checks{.phases = {{.phase = "nope", .max_stall = 1s}}};
  EXPECT_THROW(Oracle(sample_truth(), {{"all", 0s, 1s}}, {}, checks), InputError);
  EXPECT_THROW(Oracle(sample_truth(), {{"run", 0s, 1s}}, {}, {}), InputError);
  EXPECT_THROW(Oracle(sample_truth(), {{"x", 2s, 1s}}, {}, {}), InputError);
  Checks bad_ratio{.phases = {{.phase = "all", .min_delivered_ratio = 1.5}}};
  EXPECT_THROW(Oracle(sample_truth(), {{"all", 0s, 1s}}, {}, bad_ratio), InputError);
}

}  // namespace
}  // namespace camleak::oracle
