// The hub and camera against misbehaving servers on loopback: refusals become fail operations,
// cuts become info, garbage, stalls and endless bodies are counted and bounded, never a crash.
#include <gtest/gtest.h>

#include <future>

#include "emulators/hub/http_get.hpp"
#include "emulators/media/media_error.hpp"
#include "fake_servers.hpp"
#include "fleet_support.hpp"

namespace camleak::fleet_test {
namespace {

using emulators::HttpGetRequest;
using emulators::HttpGetResult;
using Outcome = HttpGetResult::Outcome;

HttpGetResult get(IoThread& io, uint16_t port, std::size_t max_body = 1 << 20,
                  std::chrono::milliseconds timeout = 2s) {
  HttpGetRequest request;
  request.host = "127.0.0.1";
  request.port = port;
  request.target = "/cameras/cam-1/snapshot";
  request.bearer_token = "tok";
  request.timeout = timeout;
  request.max_body_bytes = max_body;
  std::promise<HttpGetResult> result;
  auto future = result.get_future();
  emulators::http_get(io.io(), request, [&](HttpGetResult&& r) { result.set_value(std::move(r)); });
  EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
  return future.get();
}

TEST(HttpGet, ReturnsStatusTypeAndBody) {
  IoThread io;
  FakeServer server(http_answer(200, "image/jpeg", "\xff\xd8jpeg"));
  const HttpGetResult r = get(io, server.port());
  EXPECT_EQ(r.outcome, Outcome::response) << r.message;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "image/jpeg");
  EXPECT_EQ(std::string(r.body.begin(), r.body.end()), "\xff\xd8jpeg");
}

TEST(HttpGet, ClassifiesFailures) {
  IoThread io;
  {
    FakeServer server(http_endless_body());
    const HttpGetResult r = get(io, server.port(), 256 * 1024);
    EXPECT_EQ(r.outcome, Outcome::too_large) << r.message;
    EXPECT_LE(r.body.size(), 256u * 1024);
  }
  {
    FakeServer server(cut_after_request());
    const HttpGetResult r = get(io, server.port());
    EXPECT_EQ(r.outcome, Outcome::cut) << r.message;
    EXPECT_TRUE(r.request_sent);
  }
  {
    FakeServer server(stall());
    const HttpGetResult r = get(io, server.port(), 1 << 20, 200ms);
    EXPECT_EQ(r.outcome, Outcome::timeout) << r.message;
  }
  {
    FakeServer server(send_garbage_forever());
    const HttpGetResult r = get(io, server.port());
    EXPECT_EQ(r.outcome, Outcome::protocol) << r.message;
  }
  const HttpGetResult refused = get(io, closed_port());
  EXPECT_EQ(refused.outcome, Outcome::connect_failed) << refused.message;
  EXPECT_FALSE(refused.request_sent);
}

class HubAgainstFakes : public ::testing::Test {
 protected:
  void TearDown() override {
    io_.run_sync([&] {
      for (auto& hub : hubs_) hub->stop();
      for (auto& camera : cameras_) camera->stop();
    });
    io_.stop();
    hubs_.clear();
    cameras_.clear();
  }

  emulators::HubConfig config(uint16_t rtsp_port, uint16_t http_port) {
    emulators::HubConfig c;
    c.name = "hub-1";
    c.account = "alice";
    c.token = "tok";
    c.rtsp_port = rtsp_port;
    c.http_port = http_port;
    c.backoff.initial = Micros{10'000};
    c.backoff.maximum = Micros{50'000};
    c.connect_timeout = 1s;
    c.request_timeout = 500ms;
    c.http_timeout = 500ms;
    return c;
  }

  std::shared_ptr<emulators::Hub> start_hub(const emulators::HubConfig& c) {
    auto hub = emulators::Hub::create(io_.io(), clock_, c, key_, ids_, pool_,
                                      {.on_operation = recorder_.operation_sink(),
                                       .on_observation = recorder_.observation_sink()});
    hub->start();
    hubs_.push_back(hub);
    return hub;
  }

  SteadyClock clock_;
  media::RunKey key_ = media::run_key_from_seed(3);
  emulators::IdCounter ids_;
  Recorder recorder_;
  emulators::DecodePool pool_{1};
  IoThread io_;
  std::vector<std::shared_ptr<emulators::Hub>> hubs_;
  std::vector<std::shared_ptr<emulators::Camera>> cameras_;
};

TEST_F(HubAgainstFakes, RefusedProbesAreFailOperations) {
  FakeServer rtsp(rtsp_refuse_everything(401));
  FakeServer http(http_answer(403, "text/plain", "no"));
  auto c = config(rtsp.port(), http.port());
  c.probe_interval = Micros{20'000};
  c.probe_targets = {"cam-x"};
  auto hub = start_hub(c);
  ASSERT_TRUE(recorder_.wait([](const auto&, const auto& ops) {
    return count_ops(ops, OperationType::probe_play) >= 3 &&
           count_ops(ops, OperationType::probe_snapshot) >= 3;
  }));
  for (const Operation& op : recorder_.operations()) {
    EXPECT_EQ(op.completion, CompletionType::fail) << op.detail;
    EXPECT_EQ(op.status_code, op.type == OperationType::probe_play ? 401 : 403) << op.detail;
    EXPECT_EQ(op.camera, "cam-x");
    EXPECT_LE(op.invoked_at, op.completed_at);
  }
  EXPECT_TRUE(recorder_.observations().empty());
  EXPECT_GE(hub->counters().probes_refused, 6u);
}

TEST_F(HubAgainstFakes, ProbesCutMidAnswerAreInfo) {
  FakeServer rtsp(cut_after_request());
  FakeServer http(cut_after_request());
  auto c = config(rtsp.port(), http.port());
  c.probe_interval = Micros{20'000};
  c.probe_targets = {"cam-x", "cam-y"};
  auto hub = start_hub(c);
  ASSERT_TRUE(recorder_.wait([](const auto&, const auto& ops) {
    return count_ops(ops, OperationType::probe_play) >= 2 &&
           count_ops(ops, OperationType::probe_snapshot) >= 2;
  }));
  for (const Operation& op : recorder_.operations()) {
    EXPECT_EQ(op.completion, CompletionType::info) << op.detail;
  }
  EXPECT_GE(hub->counters().probes_indeterminate, 4u);
}

TEST_F(HubAgainstFakes, GarbageFromTheServerIsCountedAndRedialled) {
  FakeServer rtsp(send_garbage_forever());
  auto c = config(rtsp.port(), 0);
  c.cameras = {"cam-x"};
  auto hub = start_hub(c);
  ASSERT_TRUE(recorder_.wait(
      [](const auto&, const auto& ops) { return count_ops(ops, OperationType::play) >= 3; }));
  for (const Operation& op : recorder_.operations()) {
    EXPECT_NE(op.completion, CompletionType::ok) << op.detail;
  }
  EXPECT_TRUE(recorder_.observations().empty());
  EXPECT_GE(rtsp.connections(), 3u);
  io_.run_sync([&] { hub->force_reconnect(); });  // absorbs the live client's counters
  const auto counters = hub->counters();
  EXPECT_GE(counters.play_attempts, 3u);
  EXPECT_GT(counters.sut_garbage_bytes + counters.sut_bad_messages + counters.sut_parse_errors, 0u);
}

TEST_F(HubAgainstFakes, BadSnapshotsAreCountedAndBounded) {
  FakeServer endless(http_endless_body());
  auto c = config(closed_port(), endless.port());
  c.snapshot_interval = Micros{30'000};
  c.snapshot_cameras = {"cam-x"};
  c.max_snapshot_bytes = 128 * 1024;
  auto hub = start_hub(c);
  ASSERT_TRUE(recorder_.wait([](const auto&, const auto& ops) {
    return count_ops(ops, OperationType::snapshot, CompletionType::info) >= 2;
  }));
  EXPECT_GE(hub->counters().snapshot_too_large, 2u);
  EXPECT_TRUE(recorder_.observations().empty());
}

TEST_F(HubAgainstFakes, ANonJpegSnapshotIsObservedAsNotMedia) {
  FakeServer http(http_answer(200, "image/jpeg", "this is not a jpeg"));
  auto c = config(closed_port(), http.port());
  c.snapshot_interval = Micros{30'000};
  c.snapshot_cameras = {"cam-x"};
  auto hub = start_hub(c);
  ASSERT_TRUE(recorder_.wait([](const auto& obs, const auto&) { return obs.size() >= 2; }));
  for (const Observation& o : recorder_.observations()) {
    EXPECT_EQ(o.kind, DeliveryKind::snapshot);
    EXPECT_EQ(o.status, DecodeStatus::not_media);
    EXPECT_EQ(o.requested_camera, "cam-x");
    EXPECT_EQ(o.account, "alice");
    EXPECT_FALSE(o.pixel_code);
  }
  EXPECT_GE(hub->counters().snapshot_not_jpeg, 2u);
}

TEST_F(HubAgainstFakes, ACameraRefusedByTheServerRedialsWithBackoff) {
  media::quiet_ffmpeg_logging();
  FakeServer rtsp(rtsp_refuse_everything(401));
  auto config = small_camera("cam-1", "alice", "wrong", 77, rtsp.port());
  config.backoff.initial = Micros{5'000};
  config.backoff.maximum = Micros{20'000};
  auto loop = media::H264Loop::encode(emulators::loop_config(config));
  auto camera = emulators::Camera::create(io_.io(), clock_, config, loop, key_, ids_,
                                          {.on_operation = recorder_.operation_sink()});
  cameras_.push_back(camera);
  camera->start();
  ASSERT_TRUE(recorder_.wait(
      [](const auto&, const auto& ops) { return count_ops(ops, OperationType::publish) >= 3; }));
  for (const Operation& op : recorder_.operations()) {
    EXPECT_EQ(op.type, OperationType::publish);
    EXPECT_EQ(op.completion, CompletionType::fail) << op.detail;
    EXPECT_EQ(op.status_code, 401);
    EXPECT_EQ(op.process, "cam-1");
  }
  EXPECT_EQ(camera->counters().frames_sent, 0u);
  EXPECT_GE(camera->counters().publish_failed, 3u);
}

}  // namespace
}  // namespace camleak::fleet_test
