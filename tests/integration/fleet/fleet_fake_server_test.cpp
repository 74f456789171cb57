// The hub and camera against misbehaving servers on loopback: refusals become fail operations,
// cuts become info, garbage, stalls and endless bodies are counted and bounded, never a crash.
#include <gtest/gtest.h>

#include <future>
#include <optional>

#include "device_fixture.hpp"
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
  EXPECT_TRUE(r.headers_received);
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
    EXPECT_TRUE(r.headers_received);  // the status line came before the body
    EXPECT_EQ(r.status, 200);
  }
  {
    FakeServer server(cut_after_request());
    const HttpGetResult r = get(io, server.port());
    EXPECT_EQ(r.outcome, Outcome::cut) << r.message;
    EXPECT_TRUE(r.request_sent);
    EXPECT_FALSE(r.headers_received);
    EXPECT_EQ(r.status, 0);
  }
  {
    FakeServer server(stall());
    const HttpGetResult r = get(io, server.port(), 1 << 20, 200ms);
    EXPECT_EQ(r.outcome, Outcome::timeout) << r.message;
    EXPECT_FALSE(r.headers_received);
  }
  {
    FakeServer server(send_garbage_forever());
    const HttpGetResult r = get(io, server.port());
    EXPECT_EQ(r.outcome, Outcome::protocol) << r.message;
    EXPECT_FALSE(r.headers_received);
  }
  const HttpGetResult refused = get(io, closed_port());
  EXPECT_EQ(refused.outcome, Outcome::connect_failed) << refused.message;
  EXPECT_FALSE(refused.request_sent);
  EXPECT_FALSE(refused.headers_received);
}

// The status line and headers are reported whatever then happens to the body.
TEST(HttpGet, KeepsTheStatusOfAnAnswerWhoseBodyIsNotRead) {
  IoThread io;
  {
    FakeServer server(http_answer(200, "image/jpeg", std::string(5u << 20, 'x')));
    const HttpGetResult r = get(io, server.port(), 4u << 20);
    EXPECT_EQ(r.outcome, Outcome::too_large) << r.message;
    EXPECT_TRUE(r.headers_received);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "image/jpeg");
    EXPECT_TRUE(r.body.empty());
  }
  {
    FakeServer server(http_endless_chunked_body());
    const HttpGetResult r = get(io, server.port(), 4u << 20, 5s);
    EXPECT_TRUE(r.outcome == Outcome::too_large || r.outcome == Outcome::timeout) << r.message;
    EXPECT_TRUE(r.headers_received);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "image/jpeg");
  }
  {
    FakeServer server(http_status_then_stall());
    const HttpGetResult r = get(io, server.port(), 4u << 20, 300ms);
    EXPECT_EQ(r.outcome, Outcome::timeout) << r.message;
    EXPECT_TRUE(r.headers_received);
    EXPECT_EQ(r.status, 200);
  }
}

class HubAgainstFakes : public DeviceFixture {
 protected:
  HubAgainstFakes() : DeviceFixture(/*key_seed=*/3, /*decode_workers=*/1) {}

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
};

TEST_F(HubAgainstFakes, RefusedProbesAreFailOperations) {
  FakeServer rtsp(rtsp_refuse_everything(401));
  FakeServer http(http_answer(403, "text/plain", "no"));
  auto c = config(rtsp.port(), http.port());
  c.probe_interval = Micros{20'000};
  c.probe_targets = {"cam-x"};
  auto hub = start_hub(c);
  ASSERT_TRUE(
      recorder_.wait([](const auto&, const auto& ops) { return probed_both_ways(ops, 3); }));
  for (const Operation& op : recorder_.operations()) {
    EXPECT_EQ(op.completion, CompletionType::fail) << op.detail;
    EXPECT_EQ(op.status_code, op.type == OperationType::probe_play ? 401 : 403) << op.detail;
    EXPECT_EQ(op.camera, "cam-x");
    EXPECT_LE(op.invoked_at, op.completed_at);
  }
  EXPECT_TRUE(recorder_.observations().empty());
  EXPECT_GE(hub->counters().probes_refused, 6u);
}

// DESIGN.md verdict rules: a probe answered 2xx is a violation whatever its body; only a transport
// failure before any status is indeterminate. These run snapshot probes only (RTSP closed).
class SnapshotProbes : public HubAgainstFakes {
 protected:
  std::vector<Operation> probe(FakeServer::Behavior http, std::size_t count = 2) {
    server_.emplace(std::move(http));
    auto c = config(closed_port(), server_->port());
    c.probe_interval = Micros{20'000};
    c.probe_targets = {"cam-x"};
    c.http_timeout = 1s;
    hub_ = start_hub(c);
    EXPECT_TRUE(recorder_.wait([count](const auto&, const auto& ops) {
      return count_ops(ops, OperationType::probe_snapshot) >= count;
    }));
    std::vector<Operation> out;
    for (const Operation& op : recorder_.operations()) {
      if (op.type == OperationType::probe_snapshot) out.push_back(op);
    }
    return out;
  }

  std::optional<FakeServer> server_;
  std::shared_ptr<emulators::Hub> hub_;
};

TEST_F(SnapshotProbes, AnsweredOkWithABodyOverTheCapIsAViolation) {
  for (const Operation& op : probe(http_answer(200, "image/jpeg", std::string(5u << 20, 'x')))) {
    EXPECT_EQ(op.completion, CompletionType::ok) << op.detail;
    EXPECT_EQ(op.status_code, 200);
    EXPECT_EQ(op.detail, "HTTP 200 image/jpeg, body over the 4 MiB cap: not read");
  }
  EXPECT_GE(hub_->counters().probes_granted, 2u);
  EXPECT_EQ(hub_->counters().probes_indeterminate, 0u);
}

TEST_F(SnapshotProbes, AnsweredOkWithAnEndlessChunkedBodyIsAViolation) {
  for (const Operation& op : probe(http_endless_chunked_body())) {
    EXPECT_EQ(op.completion, CompletionType::ok) << op.detail;
    EXPECT_EQ(op.status_code, 200);
    EXPECT_EQ(op.detail.rfind("HTTP 200 image/jpeg, body ", 0), 0u) << op.detail;
  }
  EXPECT_GE(hub_->counters().probes_granted, 2u);
}

TEST_F(SnapshotProbes, AnsweredOkThenStalledPastTheDeadlineIsAViolation) {
  for (const Operation& op : probe(http_status_then_stall())) {
    EXPECT_EQ(op.completion, CompletionType::ok) << op.detail;
    EXPECT_EQ(op.status_code, 200);
    EXPECT_EQ(op.detail, "HTTP 200 image/jpeg, body unfinished at the deadline: not read");
  }
}

TEST_F(SnapshotProbes, AnsweredOkWithASmallJunkBodyIsAViolation) {
  for (const Operation& op : probe(http_answer(200, "image/jpeg", "junk"))) {
    EXPECT_EQ(op.completion, CompletionType::ok) << op.detail;
    EXPECT_EQ(op.status_code, 200);
    EXPECT_EQ(op.detail, "HTTP 200 image/jpeg");
  }
}

TEST_F(SnapshotProbes, AnsweredWithAnother2xxIsAViolation) {
  for (const Operation& op : probe(http_answer(206, "image/jpeg", "part"))) {
    EXPECT_EQ(op.completion, CompletionType::ok) << op.detail;
    EXPECT_EQ(op.status_code, 206);
  }
}

TEST_F(SnapshotProbes, RefusedWith401IsAFail) {
  for (const Operation& op : probe(http_answer(401, "text/plain", "no"))) {
    EXPECT_EQ(op.completion, CompletionType::fail) << op.detail;
    EXPECT_EQ(op.status_code, 401);
  }
  EXPECT_GE(hub_->counters().probes_refused, 2u);
}

TEST_F(SnapshotProbes, ClosedBeforeAnyStatusIsIndeterminate) {
  for (const Operation& op : probe(cut_after_request())) {
    EXPECT_EQ(op.completion, CompletionType::info) << op.detail;
    EXPECT_EQ(op.status_code, 0);
  }
  EXPECT_GE(hub_->counters().probes_indeterminate, 2u);
}

// The RTSP side of the same rule: PLAY answered 2xx is a violation even if no media follows.
TEST_F(HubAgainstFakes, APlayProbeAnsweredOkWithoutMediaIsAViolation) {
  FakeServer rtsp(rtsp_grant_without_media());
  auto c = config(rtsp.port(), 0);
  c.probe_interval = Micros{20'000};
  c.probe_targets = {"cam-x"};
  c.probe_hold = Micros{10'000};
  auto hub = start_hub(c);
  ASSERT_TRUE(recorder_.wait(
      [](const auto&, const auto& ops) { return count_ops(ops, OperationType::probe_play) >= 2; }));
  for (const Operation& op : recorder_.operations()) {
    EXPECT_EQ(op.type, OperationType::probe_play);
    EXPECT_EQ(op.completion, CompletionType::ok) << op.detail;
    EXPECT_EQ(op.status_code, 200);
  }
  EXPECT_TRUE(recorder_.observations().empty());
  EXPECT_GE(hub->counters().probes_granted, 2u);
}

TEST_F(HubAgainstFakes, ProbesCutMidAnswerAreInfo) {
  FakeServer rtsp(cut_after_request());
  FakeServer http(cut_after_request());
  auto c = config(rtsp.port(), http.port());
  c.probe_interval = Micros{20'000};
  c.probe_targets = {"cam-x", "cam-y"};
  auto hub = start_hub(c);
  ASSERT_TRUE(
      recorder_.wait([](const auto&, const auto& ops) { return probed_both_ways(ops, 2); }));
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
  // An oversized body is not a frame, but the status it came with is on record.
  for (const Operation& op : recorder_.operations()) EXPECT_EQ(op.status_code, 200) << op.detail;
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
  auto camera = start_camera(config);
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
