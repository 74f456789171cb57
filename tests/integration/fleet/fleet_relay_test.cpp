// Cameras publish through the reference relay to hubs, on loopback: every delivered frame must
// carry its own camera's identity, probes of foreign cameras must be refused, snapshots must be
// identified by their pixel code, and everyone must come back after the relay restarts.
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "device_fixture.hpp"
#include "emulators/media/media_error.hpp"
#include "emulators/relay/relay.hpp"
#include "fleet_support.hpp"

namespace camleak::fleet_test {
namespace {

using emulators::Camera;
using emulators::CameraConfig;
using emulators::HubConfig;

const std::map<std::string, uint32_t> kCodes = {{"cam-a", 0xA11CE}, {"cam-b", 0xB0B}};

class FleetThroughRelay : public DeviceFixture {
 protected:
  FleetThroughRelay() : DeviceFixture(/*key_seed=*/7, /*decode_workers=*/2) {}

  void SetUp() override {
    media::quiet_ffmpeg_logging();
    relay::RelayConfig config;
    config.seed = 11;
    relay_.emplace(config);
    relay_->start();
    ASSERT_EQ(put("/admin/accounts/alice", R"({"token":"tok-a"})"), 200);
    ASSERT_EQ(put("/admin/accounts/bob", R"({"token":"tok-b"})"), 200);
    ASSERT_EQ(put("/admin/cameras/cam-a", R"({"owner":"alice","secret":"sa"})"), 200);
    ASSERT_EQ(put("/admin/cameras/cam-b", R"({"owner":"bob","secret":"sb"})"), 200);
  }

  // A PUT to the relay's admin API; its status.
  int put(const std::string& target, const std::string& body = {}) {
    return http_request("PUT", relay_->ports().admin, target, body).status;
  }

  void stop_servers() override {
    if (relay_) relay_->stop();
  }

  std::shared_ptr<Camera> start_camera(const std::string& name, const std::string& owner,
                                       const std::string& secret, rtsp::RtpTransport transport) {
    CameraConfig config = small_camera(name, owner, secret, kCodes.at(name), relay_->ports().rtsp);
    config.transport = transport;
    config.rtcp_interval = Micros{200'000};
    return DeviceFixture::start_camera(config);
  }

  HubConfig hub_config(const std::string& name, const std::string& account,
                       const std::string& token, std::vector<std::string> cameras) {
    HubConfig c;
    c.name = name;
    c.account = account;
    c.token = token;
    c.rtsp_port = relay_->ports().rtsp;
    c.http_port = relay_->ports().http;
    c.cameras = std::move(cameras);
    c.backoff.initial = Micros{20'000};
    c.backoff.maximum = Micros{200'000};
    c.connect_timeout = 2s;
    c.request_timeout = 2s;
    c.http_timeout = 2s;
    c.media_timeout = Micros{3'000'000};
    c.rtcp_interval = Micros{200'000};
    c.seed = 5;
    return c;
  }

  // Every decoded live frame names the camera the hub asked for, owned by the hub's account,
  // with a valid MAC and the camera's pixel code; SEI sequences of a stream only go up.
  // `ordered`: sequences of a stream only go up. Not so across redials: a new session starts
  // with the relay's fast start, a replay of the cached GOP the hub may have seen already.
  void expect_identities_intact(const std::vector<Observation>& observations, bool ordered = true) {
    std::map<std::pair<std::string, std::string>, uint64_t> last_sequence;
    std::size_t checked = 0;
    for (const Observation& o : observations) {
      if (o.kind != DeliveryKind::live_frame || o.status != DecodeStatus::ok) continue;
      ASSERT_TRUE(o.sei) << o.hub << " got a decoded frame without identity SEI";
      EXPECT_TRUE(o.sei->hmac_valid);
      EXPECT_EQ(o.sei->camera, o.requested_camera);
      EXPECT_EQ(o.sei->owner, o.account);
      ASSERT_TRUE(o.pixel_code);
      EXPECT_EQ(*o.pixel_code, kCodes.at(o.requested_camera));
      EXPECT_FALSE(o.probe);
      const auto key = std::make_pair(o.hub, o.requested_camera);
      if (const auto it = last_sequence.find(key); ordered && it != last_sequence.end()) {
        EXPECT_GT(o.sei->sequence, it->second) << "frames of one stream out of order";
      }
      last_sequence[key] = o.sei->sequence;
      ++checked;
    }
    EXPECT_GT(checked, 0u);
  }

  std::optional<relay::Relay> relay_;
};

TEST_F(FleetThroughRelay, LiveFramesCarryTheirCamerasIdentityOverTcpAndUdp) {
  start_camera("cam-a", "alice", "sa", rtsp::RtpTransport::tcp_interleaved);
  start_camera("cam-b", "bob", "sb", rtsp::RtpTransport::udp);
  start_hub(hub_config("hub-a", "alice", "tok-a", {"cam-a"}));
  HubConfig b = hub_config("hub-b", "bob", "tok-b", {"cam-b"});
  b.transport = rtsp::RtpTransport::udp;
  start_hub(b);

  ASSERT_TRUE(recorder_.wait([](const auto& obs, const auto&) {
    return count_observations(obs, "hub-a", DeliveryKind::live_frame) >= 25 &&
           count_observations(obs, "hub-b", DeliveryKind::live_frame) >= 25;
  })) << "hub-a/hub-b did not get 25 decoded frames each";
  expect_identities_intact(recorder_.observations());
  const auto ops = recorder_.operations();
  EXPECT_GE(count_ops(ops, OperationType::publish, CompletionType::ok), 2u);
  EXPECT_GE(count_ops(ops, OperationType::play, CompletionType::ok), 2u);
  EXPECT_GT(recorder_.pictures_seen(), 0u);

  // Ids are unique across hubs, cameras and kinds.
  std::set<uint64_t> ids;
  for (const auto& o : recorder_.observations()) EXPECT_TRUE(ids.insert(o.id).second);
  for (const auto& op : ops) EXPECT_TRUE(ids.insert(op.id).second);

  // RTCP both ways, over TCP and UDP: sender reports from the cameras, receiver reports from
  // the hubs, each parsed by the relay.
  // (Re-checked as observations arrive, which they do many times a second.)
  ASSERT_TRUE(recorder_.wait([&](const auto&, const auto&) {
    const auto relay = relay_->counters();
    return relay.rtcp_sender_reports_in >= 4 && relay.rtcp_receiver_reports_in >= 4;
  })) << "relay saw "
      << relay_->counters().rtcp_sender_reports_in << " SR, "
      << relay_->counters().rtcp_receiver_reports_in << " RR";
  for (const auto& camera : cameras_) EXPECT_GT(camera->counters().rtcp_reports_sent, 1u);
  for (const auto& hub : hubs_) EXPECT_GT(hub->counters().rtcp_reports_sent, 1u);
  EXPECT_EQ(relay_->counters().rtcp_invalid, 0u);

  const auto camera_counters = cameras_[0]->counters();
  EXPECT_GT(camera_counters.frames_sent, 25u);
  EXPECT_GT(camera_counters.keyframes_sent, 0u);
  io_.run_sync(
      [&] { EXPECT_EQ(cameras_[0]->send_log().total(), cameras_[0]->counters().frames_sent); });
}

TEST_F(FleetThroughRelay, ProbesOfForeignCamerasAreRefusedAsFailOperations) {
  start_camera("cam-b", "bob", "sb", rtsp::RtpTransport::tcp_interleaved);
  HubConfig a = hub_config("hub-a", "alice", "tok-a", {});
  a.probe_interval = Micros{30'000};
  a.probe_targets = {"cam-b", "cam-nobody"};
  auto hub = start_hub(a);

  ASSERT_TRUE(
      recorder_.wait([](const auto&, const auto& ops) { return probed_both_ways(ops, 4); }));
  for (const Operation& op : recorder_.operations()) {
    if (op.type != OperationType::probe_play && op.type != OperationType::probe_snapshot) continue;
    EXPECT_EQ(op.completion, CompletionType::fail) << op.detail;
    EXPECT_TRUE(emulators::is_refusal(op.status_code)) << op.status_code << " " << op.detail;
    EXPECT_EQ(op.account, "alice");
    EXPECT_EQ(op.process, "hub-a");
  }
  for (const Observation& o : recorder_.observations()) {
    ADD_FAILURE() << "a refused probe produced an observation of " << o.requested_camera;
  }
  EXPECT_GE(hub->counters().probes_refused, 8u);
  EXPECT_EQ(hub->counters().probes_granted, 0u);
}

TEST_F(FleetThroughRelay, AProbeThatGetsMediaIsOkAndItsFramesAreProbeObservations) {
  // The scenario thinks alice must not see cam-b, but the SUT has it shared: a probe gets in.
  ASSERT_EQ(put("/admin/cameras/cam-b/shares/alice"), 200);
  start_camera("cam-b", "bob", "sb", rtsp::RtpTransport::tcp_interleaved);
  HubConfig a = hub_config("hub-a", "alice", "tok-a", {});
  a.http_port = 0;  // play probes only
  a.probe_interval = Micros{50'000};
  a.probe_hold = Micros{400'000};
  a.probe_targets = {"cam-b"};
  auto hub = start_hub(a);

  ASSERT_TRUE(recorder_.wait([](const auto& obs, const auto& ops) {
    return count_ops(ops, OperationType::probe_play, CompletionType::ok) >= 1 &&
           count_observations(obs, "hub-a", DeliveryKind::live_frame) >= 3;
  }));
  for (const Observation& o : recorder_.observations()) {
    EXPECT_TRUE(o.probe);
    EXPECT_EQ(o.requested_camera, "cam-b");
    if (o.status != DecodeStatus::ok) continue;
    ASSERT_TRUE(o.sei);
    EXPECT_EQ(o.sei->camera, "cam-b");
    EXPECT_EQ(o.sei->owner, "bob");  // the frame names its real owner: the oracle sees the leak
    EXPECT_EQ(o.pixel_code, kCodes.at("cam-b"));
  }
  EXPECT_GE(hub->counters().probes_granted, 1u);
}

TEST_F(FleetThroughRelay, SnapshotsAreIdentifiedByTheirPixelCode) {
  start_camera("cam-a", "alice", "sa", rtsp::RtpTransport::tcp_interleaved);
  HubConfig a = hub_config("hub-a", "alice", "tok-a", {});
  a.snapshot_interval = Micros{100'000};
  a.snapshot_cameras = {"cam-a"};
  auto hub = start_hub(a);

  ASSERT_TRUE(recorder_.wait([](const auto& obs, const auto&) {
    return count_observations(obs, "hub-a", DeliveryKind::snapshot) >= 2;
  }));
  for (const Observation& o : recorder_.observations()) {
    ASSERT_EQ(o.kind, DeliveryKind::snapshot);
    if (o.status != DecodeStatus::ok) continue;
    EXPECT_EQ(o.requested_camera, "cam-a");
    EXPECT_FALSE(o.sei);  // a JPEG carries no SEI
    ASSERT_TRUE(o.pixel_code);
    EXPECT_EQ(*o.pixel_code, kCodes.at("cam-a"));
  }
  EXPECT_GE(count_ops(recorder_.operations(), OperationType::snapshot, CompletionType::ok), 2u);
  EXPECT_GE(hub->counters().snapshot_ok, 2u);
}

TEST_F(FleetThroughRelay, HubAndCameraComeBackAfterTheRelayRestarts) {
  auto camera = start_camera("cam-a", "alice", "sa", rtsp::RtpTransport::tcp_interleaved);
  auto hub = start_hub(hub_config("hub-a", "alice", "tok-a", {"cam-a"}));
  ASSERT_TRUE(recorder_.wait([](const auto& obs, const auto&) {
    return count_observations(obs, "hub-a", DeliveryKind::live_frame) >= 10;
  }));

  relay_->restart();  // every connection drops; provisioning comes back from memory
  const Micros restarted_at = clock_.now();
  ASSERT_TRUE(recorder_.wait([&](const auto& obs, const auto&) {
    return count_decoded_after(obs, restarted_at) >= 10;
  })) << "no frames after the restart";

  expect_identities_intact(recorder_.observations(), /*ordered=*/false);
  const auto h = hub->counters();
  EXPECT_GE(h.sessions_lost + h.stalls, 1u);
  EXPECT_GE(h.resume_hints_sent, 1u);  // the redial's SETUP carried the old Session id
  EXPECT_GE(h.play_ok, 2u);
  EXPECT_GE(camera->counters().publish_ok, 2u);
  EXPECT_GE(camera->counters().sessions_lost, 1u);
}

TEST_F(FleetThroughRelay, ForcedRedialsKeepDeliveringTheRightIdentity) {
  auto camera = start_camera("cam-a", "alice", "sa", rtsp::RtpTransport::tcp_interleaved);
  auto hub = start_hub(hub_config("hub-a", "alice", "tok-a", {"cam-a"}));
  for (int round = 0; round < 3; ++round) {
    const Micros since = clock_.now();
    ASSERT_TRUE(recorder_.wait([&](const auto& obs, const auto&) {
      return count_decoded_after(obs, since) >= 5;
    })) << "round "
        << round;
    if (round % 2 == 0)
      hub->force_reconnect();
    else
      camera->force_reconnect();
  }
  expect_identities_intact(recorder_.observations(), /*ordered=*/false);
  EXPECT_GE(hub->counters().forced_redials, 1u);
  EXPECT_GE(camera->counters().forced_redials, 1u);
  EXPECT_GE(camera->counters().publish_attempts, 2u);
}

}  // namespace
}  // namespace camleak::fleet_test
