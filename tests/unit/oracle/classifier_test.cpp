#include "harness/oracle/classifier.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/core/errors.hpp"
#include "oracle_fixture.hpp"

namespace camleak::oracle {
namespace {

using namespace camleak::oracle::test;

class ClassifierTest : public ::testing::Test {
 protected:
  Visibility visibility_{sample_truth()};
  ManualClock clock_{5s};

  Verdict judge(const Observation& o) { return classify(o, visibility_, 1s); }
};

TEST_F(ClassifierTest, OwnCameraFreshFrameIsOk) {
  const auto v = judge(frame("cam-a", 101, 1, clock_.now() - 100ms, clock_.now()));
  EXPECT_EQ(v.kind, VerdictKind::ok);
  EXPECT_EQ(v.camera, "cam-a");
  EXPECT_EQ(v.owner, "alice");
  ASSERT_TRUE(v.age);
  EXPECT_EQ(*v.age, 100ms);
  EXPECT_TRUE(v.reason.empty());
}

TEST_F(ClassifierTest, SharedCameraIsOkInsideTheShareAndALeakBefore) {
  EXPECT_EQ(judge(frame("cam-b", 202, 1, 4900ms, clock_.now())).kind, VerdictKind::leak);
  clock_.set(12s);
  EXPECT_EQ(judge(frame("cam-b", 202, 2, 11900ms, clock_.now())).kind, VerdictKind::ok);
}

TEST_F(ClassifierTest, StrangersCameraIsALeakNamingCameraAndOwner) {
  const auto v = judge(frame("cam-c", 303, 7, clock_.now() - 50ms, clock_.now()));
  EXPECT_EQ(v.kind, VerdictKind::leak);
  EXPECT_EQ(v.camera, "cam-c");
  EXPECT_EQ(v.owner, "carol");
  EXPECT_NE(v.reason.find("alice"), std::string::npos);
}

TEST_F(ClassifierTest, SnapshotWithPixelCodeOfStrangerIsALeak) {
  const auto v = judge(snapshot("cam-a", 303, clock_.now()));
  EXPECT_EQ(v.kind, VerdictKind::leak);
  EXPECT_EQ(v.camera, "cam-c");
  EXPECT_NE(v.reason.find("pixel code"), std::string::npos);
}

TEST_F(ClassifierTest, PixelCodeOfStrangerIsALeakEvenWithoutSei) {
  auto o = frame("cam-a", 303, 1, clock_.now(), clock_.now());
  o.sei.reset();
  EXPECT_EQ(judge(o).kind, VerdictKind::leak);
}

TEST_F(ClassifierTest, PixelCameraNameIsAcceptedWhenNoNumericCode) {
  auto o = snapshot("cam-a", std::nullopt, clock_.now());
  o.pixel_camera = "cam-c";
  EXPECT_EQ(judge(o).kind, VerdictKind::leak);
  o.pixel_camera = "cam-a";
  EXPECT_EQ(judge(o).kind, VerdictKind::ok);
}

TEST_F(ClassifierTest, DisagreeingVisibleIdentitiesAreASplice) {
  clock_.set(12s);  // cam-b is shared with alice now: both identities are visible
  auto o = frame("cam-a", 202, 1, clock_.now(), clock_.now(), "alice");
  const auto v = judge(o);
  EXPECT_EQ(v.kind, VerdictKind::splice);
  EXPECT_NE(v.reason.find("cam-a"), std::string::npos);
  EXPECT_NE(v.reason.find("cam-b"), std::string::npos);
}

TEST_F(ClassifierTest, SpliceWithAnInvisibleCameraIsReportedAsALeak) {
  // SEI of alice's own camera spliced onto carol's picture: the picture leaks.
  auto pixel_stranger = frame("cam-a", 303, 1, clock_.now(), clock_.now());
  EXPECT_EQ(judge(pixel_stranger).kind, VerdictKind::leak);
  EXPECT_EQ(judge(pixel_stranger).camera, "cam-c");
  // Carol's SEI on alice's picture: carol's metadata leaks.
  auto sei_stranger = frame("cam-a", 101, 1, clock_.now(), clock_.now());
  sei_stranger.sei = sei("cam-c", "carol", 9, clock_.now());
  EXPECT_EQ(judge(sei_stranger).kind, VerdictKind::leak);
  EXPECT_EQ(judge(sei_stranger).camera, "cam-c");
}

TEST_F(ClassifierTest, FailedHmacIsForged) {
  auto o = frame("cam-a", 101, 1, clock_.now(), clock_.now());
  o.sei->hmac_valid = false;
  const auto v = judge(o);
  EXPECT_EQ(v.kind, VerdictKind::forged);
  EXPECT_EQ(v.camera, "cam-a");
}

TEST_F(ClassifierTest, ForgedSeiNamingAnInvisibleCameraIsStillALeak) {
  auto o = frame("cam-a", 101, 1, clock_.now(), clock_.now());
  o.sei = sei("cam-c", "carol", 1, clock_.now(), /*hmac_valid=*/false);
  const auto v = judge(o);
  EXPECT_EQ(v.kind, VerdictKind::leak);
  EXPECT_NE(v.reason.find("HMAC invalid"), std::string::npos);
}

TEST_F(ClassifierTest, SpliceTakesPrecedenceOverForged) {
  clock_.set(12s);
  auto o = frame("cam-a", 202, 1, clock_.now(), clock_.now());
  o.sei->hmac_valid = false;
  EXPECT_EQ(judge(o).kind, VerdictKind::splice);
}

TEST_F(ClassifierTest, NoIdentityIsUnverifiable) {
  auto o = frame("cam-a", 101, 1, clock_.now(), clock_.now());
  o.sei.reset();
  o.pixel_code.reset();
  o.status = DecodeStatus::corrupt;
  const auto v = judge(o);
  EXPECT_EQ(v.kind, VerdictKind::unverifiable);
  EXPECT_NE(v.reason.find("decoder rejected"), std::string::npos);
  EXPECT_EQ(v.camera, "cam-a");  // the requested camera, for the report
}

TEST_F(ClassifierTest, UnknownPixelCodeIsUnverifiableNotALeak) {
  const auto v = judge(snapshot("cam-a", 999, clock_.now()));
  EXPECT_EQ(v.kind, VerdictKind::unverifiable);
  EXPECT_NE(v.reason.find("999"), std::string::npos);
}

TEST_F(ClassifierTest, UnknownPixelCodeNextToAValidSeiLeavesTheSeiInCharge) {
  auto o = frame("cam-a", 999, 1, clock_.now(), clock_.now());
  EXPECT_EQ(judge(o).kind, VerdictKind::ok);
}

TEST_F(ClassifierTest, OldLiveFrameIsStaleAtTheBoundaryPlusOne) {
  EXPECT_EQ(judge(frame("cam-a", 101, 1, clock_.now() - 1s, clock_.now())).kind, VerdictKind::ok);
  const auto v = judge(frame("cam-a", 101, 1, clock_.now() - 1s - 1us, clock_.now()));
  EXPECT_EQ(v.kind, VerdictKind::stale);
  EXPECT_NE(v.reason.find("1.000s"), std::string::npos);
}

TEST_F(ClassifierTest, SnapshotsHaveNoCaptureTimeOfTheirOwn) {
  auto o = snapshot("cam-a", 101, clock_.now());
  EXPECT_EQ(judge(o).kind, VerdictKind::ok);
  EXPECT_FALSE(judge(o).age);
}

TEST_F(ClassifierTest, SnapshotAgeBoundOnlyTurnsOkSnapshotsStale) {
  auto o = snapshot("cam-a", 101, 10s);
  auto v = judge(o);
  judge_snapshot_age(v, o, /*last_sent=*/8s, /*freshness=*/1s);
  EXPECT_EQ(v.kind, VerdictKind::stale);
  EXPECT_EQ(*v.age, 2s);
  auto fresh = judge(o);
  judge_snapshot_age(fresh, o, 9500ms, 1s);
  EXPECT_EQ(fresh.kind, VerdictKind::ok);
  auto live = frame("cam-a", 101, 1, 10s, 10s);
  auto live_verdict = judge(live);
  judge_snapshot_age(live_verdict, live, 0s, 1s);  // live frames have their own capture time
  EXPECT_EQ(live_verdict.kind, VerdictKind::ok);
}

TEST_F(ClassifierTest, StaleFrameOfAnInvisibleCameraIsALeak) {
  EXPECT_EQ(judge(frame("cam-c", 303, 1, clock_.now() - 10s, clock_.now())).kind,
            VerdictKind::leak);
}

TEST_F(ClassifierTest, ProbeAnsweredWithMediaIsALeakEvenForAVisibleCamera) {
  auto o = frame("cam-a", 101, 1, clock_.now(), clock_.now());
  o.probe = true;
  o.requested_camera = "cam-c";
  auto v = judge(o);
  EXPECT_EQ(v.kind, VerdictKind::leak);
  EXPECT_NE(v.reason.find("probe"), std::string::npos);
  // Undecodable bytes still are media the SUT should not have served.
  o.sei.reset();
  o.pixel_code.reset();
  o.status = DecodeStatus::corrupt;
  v = judge(o);
  EXPECT_EQ(v.kind, VerdictKind::leak);
  EXPECT_EQ(v.camera, "cam-c");
  EXPECT_EQ(v.owner, "carol");
  // An error page is not media.
  o.status = DecodeStatus::not_media;
  EXPECT_EQ(judge(o).kind, VerdictKind::unverifiable);
}

// Revocation at 20s with a 500 ms in-flight grace.
TEST_F(ClassifierTest, RevocationGraceBoundary) {
  // Captured before the revoke, delivered at the last instant of the grace: in flight.
  EXPECT_EQ(judge(frame("cam-b", 202, 1, 19900ms, 20500ms)).kind, VerdictKind::ok);
  // One microsecond later: a leak.
  EXPECT_EQ(judge(frame("cam-b", 202, 1, 19900ms, 20500ms + 1us)).kind, VerdictKind::leak);
  // Captured at the revoke itself: never in flight, a leak right away.
  EXPECT_EQ(judge(frame("cam-b", 202, 2, 20s, 20100ms)).kind, VerdictKind::leak);
  // Unknown capture time (snapshot) inside the grace: benefit of the doubt; after it: a leak.
  EXPECT_EQ(judge(snapshot("cam-b", 202, 20300ms)).kind, VerdictKind::ok);
  EXPECT_EQ(judge(snapshot("cam-b", 202, 20600ms)).kind, VerdictKind::leak);
}

TEST(VisibilityTest, RejectsInconsistentGroundTruthNamingFields) {
  GroundTruth truth = sample_truth();
  truth.cameras.push_back({"cam-d", "nobody", 101});
  truth.shares.push_back({.camera = "cam-x", .account = "alice"});
  truth.shares.push_back({.camera = "cam-a", .account = "bob", .from = 5s, .until = 1s});
  try {
    Visibility v(truth);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    std::vector<std::string> fields;
    for (const auto& d : e.diagnostics()) fields.push_back(d.field);
    EXPECT_THAT(fields, ::testing::UnorderedElementsAre("cameras[3].owner", "cameras[3].pixel_code",
                                                        "shares[1].camera", "shares[2].until"));
  }
}

TEST(VisibilityTest, ShareWithoutUntilNeverEnds) {
  GroundTruth truth = sample_truth();
  truth.shares = {{.camera = "cam-c", .account = "alice", .from = 1s}};
  Visibility v(truth);
  const auto* cam = v.camera("cam-c");
  ASSERT_NE(cam, nullptr);
  EXPECT_FALSE(v.visible(*cam, "alice", 999ms, std::nullopt));
  EXPECT_TRUE(v.visible(*cam, "alice", 1s, std::nullopt));
  EXPECT_TRUE(v.visible(*cam, "alice", 100000s, std::nullopt));
  EXPECT_FALSE(v.visible(*cam, "bob", 5s, std::nullopt));
  EXPECT_EQ(v.camera_by_pixel_code(303), cam);
  // A copy of the camera (not one handed out by the index) is judged by its name.
  const CameraTruth copy = *cam;
  EXPECT_TRUE(v.visible(copy, "alice", 5s, std::nullopt));
  EXPECT_FALSE(v.visible(copy, "bob", 5s, std::nullopt));
}

}  // namespace
}  // namespace camleak::oracle
