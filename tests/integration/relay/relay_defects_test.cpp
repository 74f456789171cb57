// Each defect switch reproduces its leak under its stress and never without it; with the switch
// off the same stress never leaks. Whose frames a viewer got is read from the SEI identity of
// every received frame (and the pixel code of snapshots), exactly as the oracle does.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "emulators/media/still_image.hpp"
#include "emulators/relay/mapping_cache.hpp"
#include "tests/integration/relay/relay_test_support.hpp"

namespace camleak::relay::testing {
namespace {

constexpr uint32_t kCodeA = 0x0a0a;
constexpr uint32_t kCodeB = 0x0b0b;

DefectSet with(Defect d) {
  DefectSet set;
  set.set(d);
  return set;
}

// ---------------------------------------------------------------- weak-signal-cache

// Viewer X watches cam-a, then leaves (cleanly or by losing its link); viewer Y then watches
// cam-b. Returns how many of Y's first frames were not cam-b's.
size_t weak_signal_run(DefectSet defects, bool link_lost) {
  RelayUnderTest r(defects);
  r.put_account("alice", "tok-a");
  r.put_account("erin", "tok-e");
  r.put_camera("cam-a", "alice", "sec-a");
  r.put_camera("cam-b", "erin", "sec-b");
  boost::asio::io_context io;
  TestCamera a(io, r.url("cam-a"), "cam-a", "alice", "sec-a", kCodeA);
  TestCamera b(io, r.url("cam-b"), "cam-b", "erin", "sec-b", kCodeB);
  a.start();
  b.start();
  TestViewer x(io, r.url("cam-a"), "alice", "tok-a");
  x.start();
  EXPECT_TRUE(run_until(io, [&] { return x.frames() >= 8; }));
  EXPECT_EQ(x.frames_not_from("cam-a"), 0u);
  if (link_lost) {
    x.drop();
  } else {
    x.teardown();
  }
  EXPECT_TRUE(run_until(io, [&] { return active(r, "viewers") == 0; }));
  TestViewer y(io, r.url("cam-b"), "erin", "tok-e");
  y.start();
  EXPECT_TRUE(run_until(io, [&] { return y.frames() >= 12; }));
  EXPECT_GE(y.frames_from("cam-b"), 1u) << "Y must also get its own stream";
  return y.frames_not_from("cam-b");
}

TEST(WeakSignalCache, LeaksAnotherCamerasFramesWhenAViewerLosesItsLink) {
  EXPECT_GT(weak_signal_run(with(Defect::weak_signal_cache), /*link_lost=*/true), 0u);
}

TEST(WeakSignalCache, NoLeakOnAStableNetworkWithCleanGoodbyes) {
  EXPECT_EQ(weak_signal_run(with(Defect::weak_signal_cache), /*link_lost=*/false), 0u);
}

TEST(WeakSignalCache, SwitchOffNeverLeaksUnderTheSameStress) {
  EXPECT_EQ(weak_signal_run(DefectSet{}, /*link_lost=*/true), 0u);
}

// ---------------------------------------------------------------- storm-mapping-mixup

// Two camera names whose simulated lookups finish far apart: `slow` >= 100 ms, `fast` <= 40 ms.
std::pair<std::string, std::string> slow_and_fast_cameras() {
  std::string slow, fast;
  for (int i = 0; i < 1000 && (slow.empty() || fast.empty()); ++i) {
    const std::string name = "cam-" + std::to_string(i);
    const auto latency = MappingCache::latency(name);
    if (slow.empty() && latency >= std::chrono::milliseconds(100))
      slow = name;
    else if (fast.empty() && latency <= std::chrono::milliseconds(40))
      fast = name;
  }
  return {slow, fast};
}

struct StormResult {
  size_t viewer_frames_not_own = 0;
  std::optional<uint32_t> snapshot_code;
};

// Both cameras publish, drop, and reconnect: all at once (`burst`) or one after the other.
// A viewer of the slow camera's owner then watches; we count frames that are not that camera's.
StormResult storm_run(DefectSet defects, bool burst) {
  const auto [cam_a, cam_b] = slow_and_fast_cameras();
  EXPECT_FALSE(cam_a.empty() || cam_b.empty());
  RelayUnderTest r(defects);
  r.put_account("alice", "tok-a");
  r.put_account("erin", "tok-e");
  r.put_camera(cam_a, "alice", "sec-a");
  r.put_camera(cam_b, "erin", "sec-b");
  boost::asio::io_context io;
  auto a = std::make_unique<TestCamera>(io, r.url(cam_a), cam_a, "alice", "sec-a", kCodeA);
  auto b = std::make_unique<TestCamera>(io, r.url(cam_b), cam_b, "erin", "sec-b", kCodeB);
  a->start();
  b->start();
  EXPECT_TRUE(run_until(io, [&] { return a->publishing() && b->publishing(); }));
  // The outage: every camera loses its connection.
  a.reset();
  b.reset();
  EXPECT_TRUE(run_until(io, [&] { return active(r, "publishers") == 0; }));
  a = std::make_unique<TestCamera>(io, r.url(cam_a), cam_a, "alice", "sec-a", kCodeA);
  b = std::make_unique<TestCamera>(io, r.url(cam_b), cam_b, "erin", "sec-b", kCodeB);
  a->start();
  if (burst) {
    // B reconnects while A's mapping lookup is still pending.
    EXPECT_TRUE(run_until(io, [&] { return active(r, "mapping_lookups_pending") >= 1; }));
  } else {
    EXPECT_TRUE(run_until(io, [&] { return a->publishing(); }));
  }
  b->start();
  EXPECT_TRUE(run_until(io, [&] { return a->publishing() && b->publishing(); }));
  TestViewer viewer(io, r.url(cam_a), "alice", "tok-a");
  viewer.start();
  EXPECT_TRUE(run_until(io, [&] { return viewer.frames() >= 12 || viewer.failed(); }));
  EXPECT_FALSE(viewer.failed()) << viewer.error().describe();
  StormResult result;
  result.viewer_frames_not_own = viewer.frames_not_from(cam_a);
  const auto snap =
      http_call(r.ports().http, "GET", "/cameras/" + cam_a + "/snapshot", {}, "Bearer tok-a");
  EXPECT_EQ(snap.status, 200);
  result.snapshot_code =
      media::identify_jpeg(
          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(snap.body.data()),
                                   snap.body.size()))
          .pixel_code;
  return result;
}

TEST(StormMappingMixup, BurstOfReconnectsAttachesAnotherCamerasIngest) {
  const auto result = storm_run(with(Defect::storm_mapping_mixup), /*burst=*/true);
  EXPECT_GT(result.viewer_frames_not_own, 0u);
  EXPECT_EQ(result.snapshot_code, std::optional<uint32_t>(kCodeB))
      << "thumbnail shows the other camera";
}

TEST(StormMappingMixup, OneReconnectAtATimeDoesNotLeak) {
  const auto result = storm_run(with(Defect::storm_mapping_mixup), /*burst=*/false);
  EXPECT_EQ(result.viewer_frames_not_own, 0u);
  EXPECT_EQ(result.snapshot_code, std::optional<uint32_t>(kCodeA));
}

TEST(StormMappingMixup, SwitchOffNeverLeaksUnderABurst) {
  const auto result = storm_run(DefectSet{}, /*burst=*/true);
  EXPECT_EQ(result.viewer_frames_not_own, 0u);
  EXPECT_EQ(result.snapshot_code, std::optional<uint32_t>(kCodeA));
}

// ---------------------------------------------------------------- restart-session-swap

// alice watches cam-a, bob watches cam-b; then (after a relay restart, or just a dropped link)
// a fresh bob viewer connects and alice resumes with her old session id as the hint.
// Returns how many of alice's resumed frames were not cam-a's.
size_t session_swap_run(DefectSet defects, bool restart) {
  RelayUnderTest r(defects);
  r.put_account("alice", "tok-a");
  r.put_account("bob", "tok-b");
  r.put_camera("cam-a", "alice", "sec-a");
  r.put_camera("cam-b", "bob", "sec-b");
  boost::asio::io_context io;
  auto a = std::make_unique<TestCamera>(io, r.url("cam-a"), "cam-a", "alice", "sec-a", kCodeA);
  auto b = std::make_unique<TestCamera>(io, r.url("cam-b"), "cam-b", "bob", "sec-b", kCodeB);
  a->start();
  b->start();
  EXPECT_TRUE(run_until(io, [&] { return a->publishing() && b->publishing(); }));
  RawViewer alice(io, r.ports().rtsp, "cam-a", "alice", "tok-a");
  EXPECT_EQ(alice.play(), 200);
  alice.receive(3);
  RawViewer bob(io, r.ports().rtsp, "cam-b", "bob", "tok-b");
  EXPECT_EQ(bob.play(), 200);
  bob.receive(3);
  const std::string alice_session = alice.session_id();
  EXPECT_EQ(alice.frames_not_from("cam-a"), 0u);
  if (restart) {
    r.relay().restart();
    a = std::make_unique<TestCamera>(io, r.url("cam-a"), "cam-a", "alice", "sec-a", kCodeA);
    b = std::make_unique<TestCamera>(io, r.url("cam-b"), "cam-b", "bob", "sec-b", kCodeB);
    a->start();
    b->start();
    EXPECT_TRUE(run_until(io, [&] { return a->publishing() && b->publishing(); }));
  } else {
    alice.drop();
    EXPECT_TRUE(run_until(io, [&] { return active(r, "viewers") == 1; }));
  }
  RawViewer bob2(io, r.ports().rtsp, "cam-b", "bob", "tok-b");
  EXPECT_EQ(bob2.play(), 200);
  bob2.receive(2);
  RawViewer resumed(io, r.ports().rtsp, "cam-a", "alice", "tok-a");
  EXPECT_EQ(resumed.play(alice_session), 200);
  resumed.receive(10);
  EXPECT_GE(resumed.cameras().size(), 10u);
  return resumed.frames_not_from("cam-a");
}

TEST(RestartSessionSwap, AfterARestartAResumedSessionIsAStrangers) {
  EXPECT_GT(session_swap_run(with(Defect::restart_session_swap), /*restart=*/true), 0u);
}

TEST(RestartSessionSwap, ResumeWithoutARestartStaysOwn) {
  EXPECT_EQ(session_swap_run(with(Defect::restart_session_swap), /*restart=*/false), 0u);
}

TEST(RestartSessionSwap, SwitchOffNeverLeaksAfterARestart) {
  EXPECT_EQ(session_swap_run(DefectSet{}, /*restart=*/true), 0u);
}

// ---------------------------------------------------------------- all switches off

TEST(AllDefectsOff, ResumeHintForAnotherAccountsSessionIsIgnored) {
  RelayUnderTest r;
  r.put_account("alice", "tok-a");
  r.put_account("bob", "tok-b");
  r.put_camera("cam-a", "alice", "sec-a");
  r.put_camera("cam-b", "bob", "sec-b");
  boost::asio::io_context io;
  TestCamera a(io, r.url("cam-a"), "cam-a", "alice", "sec-a", kCodeA);
  TestCamera b(io, r.url("cam-b"), "cam-b", "bob", "sec-b", kCodeB);
  a.start();
  b.start();
  RawViewer bob(io, r.ports().rtsp, "cam-b", "bob", "tok-b");
  ASSERT_EQ(bob.play(), 200);
  bob.receive(2);
  // alice presents bob's session id: ignored, she gets a fresh session on her own camera.
  RawViewer alice(io, r.ports().rtsp, "cam-a", "alice", "tok-a");
  ASSERT_EQ(alice.play(bob.session_id()), 200);
  EXPECT_NE(alice.session_id(), bob.session_id());
  alice.receive(8);
  EXPECT_GE(alice.frames_from("cam-a"), 8u);
  EXPECT_EQ(alice.frames_not_from("cam-a"), 0u);
  // ...and asking for bob's camera with bob's session id does not get her in either.
  RawViewer intruder(io, r.ports().rtsp, "cam-b", "alice", "tok-a");
  EXPECT_EQ(intruder.play(bob.session_id()), 401);
}

}  // namespace
}  // namespace camleak::relay::testing
