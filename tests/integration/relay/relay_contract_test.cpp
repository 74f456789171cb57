// The reference relay against the SUT contract on loopback: provisioning API (and its 400s),
// the authorization matrix over RTSP and HTTP, revocation of an active stream, restart
// persistence, fan-out over TCP and UDP, snapshots identified by their pixel code.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "emulators/media/still_image.hpp"
#include "tests/integration/relay/relay_test_support.hpp"

namespace camleak::relay::testing {
namespace {

constexpr uint32_t kCodeA = 0x1a2b;
constexpr uint32_t kCodeB = 0x3c4d;

// alice owns cam-a and shares it with bob; carol is a stranger.
void provision(RelayUnderTest& r) {
  r.put_account("alice", "tok-alice");
  r.put_account("bob", "tok-bob");
  r.put_account("carol", "tok-carol");
  r.put_camera("cam-a", "alice", "sec-a");
  r.share("cam-a", "bob");
}

TEST(RelayAdminApi, HealthAndProvisioningAndMalformedRequests) {
  RelayUnderTest r;
  const uint16_t admin = r.ports().admin;
  EXPECT_EQ(http_call(admin, "GET", "/admin/health").status, 200);
  provision(r);
  const auto bad = [&](const std::string& method, const std::string& target,
                       const std::string& body, const std::string& mentions) {
    const auto res = http_call(admin, method, target, body);
    EXPECT_EQ(res.status, 400) << target << " " << body;
    EXPECT_NE(res.body.find(mentions), std::string::npos) << res.body;
  };
  bad("PUT", "/admin/accounts/dave", "{not json", "JSON");
  bad("PUT", "/admin/accounts/dave", "[1,2]", "object");
  bad("PUT", "/admin/accounts/dave", "{}", "token");
  bad("PUT", "/admin/accounts/dave", R"({"token": 5})", "token");
  bad("PUT", "/admin/accounts/dave", R"({"token": "a b"})", "token");
  bad("PUT", "/admin/accounts/dave", R"({"token": "x", "tokne": "y"})", "tokne");
  bad("PUT", "/admin/accounts/da%20ve", R"({"token": "x"})", "account name");
  bad("PUT", "/admin/cameras/cam-z", R"({"owner": "alice"})", "secret");
  bad("PUT", "/admin/cameras/cam-z", R"({"owner": "", "secret": "s"})", "owner");
  EXPECT_EQ(http_call(admin, "PUT", "/admin/cameras/nope/shares/bob").status, 404);
  EXPECT_EQ(http_call(admin, "GET", "/admin/accounts/alice").status, 405);
  EXPECT_EQ(http_call(admin, "GET", "/admin/elsewhere").status, 404);
  // A request that is not HTTP at all is answered 400 and counted.
  EXPECT_GE(counter(r, "http_bad_requests"), 9u);
  const auto s = stats(r);
  EXPECT_EQ(s.at("provisioning").at("accounts").to_number<int>(), 3);
  EXPECT_EQ(s.at("provisioning").at("shares").to_number<int>(), 1);
}

TEST(RelayAuthorization, RtspMatrixOwnerSharedRevokedStrangerNoCredentials) {
  RelayUnderTest r;
  provision(r);
  r.put_account("dave", "tok-dave");
  r.share("cam-a", "dave");
  r.unshare("cam-a", "dave");  // dave: revoked
  boost::asio::io_context io;
  TestCamera camera(io, r.url("cam-a"), "cam-a", "alice", "sec-a", kCodeA);
  camera.start();
  ASSERT_TRUE(run_until(io, [&] { return camera.publishing() || camera.failed(); }));
  ASSERT_TRUE(camera.publishing()) << camera.error().describe();

  struct Case {
    std::string account, token;
    int expected;  // 200 = plays and receives cam-a frames
  };
  const std::vector<Case> cases = {
      {"alice", "tok-alice", 200}, {"bob", "tok-bob", 200}, {"dave", "tok-dave", 401},
      {"carol", "tok-carol", 401}, {"", "", 401},           {"alice", "wrong", 401},
      {"nobody", "tok-alice", 401}};
  for (const auto& c : cases) {
    TestViewer viewer(io, r.url("cam-a"), c.account, c.token);
    viewer.start();
    ASSERT_TRUE(run_until(io, [&] { return viewer.failed() || viewer.frames() >= 3; }))
        << c.account;
    if (c.expected == 200) {
      EXPECT_FALSE(viewer.failed()) << c.account << ": " << viewer.error().describe();
      EXPECT_EQ(viewer.frames_from("cam-a"), viewer.frames()) << c.account;
    } else {
      EXPECT_TRUE(viewer.failed()) << c.account;
      EXPECT_EQ(viewer.error().status, 401) << c.account << ": " << viewer.error().describe();
      EXPECT_EQ(viewer.frames(), 0u);
    }
  }
  // Unknown camera: 404 for an authenticated account.
  TestViewer unknown(io, r.url("cam-zz"), "alice", "tok-alice");
  unknown.start();
  ASSERT_TRUE(run_until(io, [&] { return unknown.failed(); }));
  EXPECT_EQ(unknown.error().status, 404);
  // A camera publishing with a wrong secret, or as another camera, is refused.
  TestCamera impostor(io, r.url("cam-a"), "cam-a", "alice", "wrong", kCodeB);
  impostor.start();
  ASSERT_TRUE(run_until(io, [&] { return impostor.failed(); }));
  EXPECT_EQ(impostor.error().status, 401);
  EXPECT_GE(counter(r, "auth_failures"), 7u);
}

TEST(RelayAuthorization, SnapshotMatrixOverHttp) {
  RelayUnderTest r;
  provision(r);
  boost::asio::io_context io;
  const uint16_t http = r.ports().http;
  // Before any frame: authorized but nothing to show yet.
  EXPECT_EQ(http_call(http, "GET", "/cameras/cam-a/snapshot", {}, "Bearer tok-alice").status, 503);
  TestCamera camera(io, r.url("cam-a"), "cam-a", "alice", "sec-a", kCodeA);
  camera.start();
  ASSERT_TRUE(run_until(io, [&] { return camera.frames_sent() >= 3 || camera.failed(); }));
  HttpResult owner;
  ASSERT_TRUE(run_until(io, [&] {
    owner = http_call(http, "GET", "/cameras/cam-a/snapshot", {}, "Bearer tok-alice");
    return owner.status == 200;
  }));
  EXPECT_EQ(owner.content_type, "image/jpeg");
  const auto identity = media::identify_jpeg(std::span<const uint8_t>(
      reinterpret_cast<const uint8_t*>(owner.body.data()), owner.body.size()));
  EXPECT_EQ(identity.status, DecodeStatus::ok);
  ASSERT_TRUE(identity.pixel_code.has_value());
  EXPECT_EQ(*identity.pixel_code, kCodeA);

  EXPECT_EQ(http_call(http, "GET", "/cameras/cam-a/snapshot", {}, "Bearer tok-bob").status, 200);
  EXPECT_EQ(http_call(http, "GET", "/cameras/cam-a/snapshot", {}, "Bearer tok-carol").status, 401);
  EXPECT_EQ(http_call(http, "GET", "/cameras/cam-a/snapshot", {}, "").status, 401);
  EXPECT_EQ(http_call(http, "GET", "/cameras/cam-a/snapshot", {}, "Bearer wrong").status, 401);
  EXPECT_EQ(
      http_call(http, "GET", "/cameras/cam-a/snapshot", {}, "Basic YWxpY2U6dG9rLWFsaWNl").status,
      401);
  EXPECT_EQ(http_call(http, "GET", "/cameras/nope/snapshot", {}, "Bearer tok-alice").status, 404);
  r.unshare("cam-a", "bob");
  EXPECT_EQ(http_call(http, "GET", "/cameras/cam-a/snapshot", {}, "Bearer tok-bob").status, 401);
  EXPECT_GE(counter(r, "snapshots_served"), 2u);
}

// The provisioned relay with alice's cam-a publishing.
struct CamAPublishing {
  CamAPublishing() {
    provision(r);
    camera.start();
  }
  RelayUnderTest r;
  boost::asio::io_context io;
  TestCamera camera{io, r.url("cam-a"), "cam-a", "alice", "sec-a", kCodeA};
};

TEST(RelayRevocation, RevokedShareStopsAnActiveStream) {
  CamAPublishing on_air;
  auto& [r, io, camera] = on_air;
  TestViewer bob(io, r.url("cam-a"), "bob", "tok-bob");
  TestViewer alice(io, r.url("cam-a"), "alice", "tok-alice");
  bob.start();
  alice.start();
  ASSERT_TRUE(run_until(io, [&] { return bob.frames() >= 3 && alice.frames() >= 3; }));
  r.unshare("cam-a", "bob");
  // The stream stops after the revocation, by the relay's own doing (viewers_revoked below).
  // How soon is the relay's revoke_check timer; timing it here would measure the machine's load.
  ASSERT_TRUE(run_until(io, [&] { return bob.session_lost(); }));
  const size_t bob_frames = bob.frames();
  const size_t alice_frames = alice.frames();
  ASSERT_TRUE(run_until(io, [&] { return alice.frames() >= alice_frames + 5; }));
  EXPECT_EQ(bob.frames(), bob_frames) << "frames after the stream was stopped";
  EXPECT_FALSE(alice.session_lost());
  EXPECT_GE(counter(r, "viewers_revoked"), 1u);
  // Bob cannot come back.
  TestViewer again(io, r.url("cam-a"), "bob", "tok-bob");
  again.start();
  ASSERT_TRUE(run_until(io, [&] { return again.failed(); }));
  EXPECT_EQ(again.error().status, 401);
}

TEST(RelayRevocation, TokenChangeStopsViewersOfTheOldToken) {
  CamAPublishing on_air;
  auto& [r, io, camera] = on_air;
  TestViewer bob(io, r.url("cam-a"), "bob", "tok-bob");
  bob.start();
  ASSERT_TRUE(run_until(io, [&] { return bob.frames() >= 2; }));
  r.put_account("bob", "tok-bob-2");
  ASSERT_TRUE(run_until(
      io, [&] { return bob.session_lost(); }, std::chrono::milliseconds(1000)));
}

TEST(RelayPersistence, RestartKeepsProvisioningAndPorts) {
  RelayUnderTest r;
  provision(r);
  const auto before = r.ports();
  r.relay().restart();
  EXPECT_EQ(r.ports().rtsp, before.rtsp);
  EXPECT_EQ(r.ports().admin, before.admin);
  const auto s = stats(r);
  EXPECT_EQ(s.at("provisioning").at("accounts").to_number<int>(), 3);
  EXPECT_EQ(s.at("provisioning").at("shares").to_number<int>(), 1);
  boost::asio::io_context io;
  TestCamera camera(io, r.url("cam-a"), "cam-a", "alice", "sec-a", kCodeA);
  camera.start();
  TestViewer bob(io, r.url("cam-a"), "bob", "tok-bob");
  bob.start();
  ASSERT_TRUE(run_until(io, [&] { return bob.frames() >= 3 || bob.failed(); }));
  EXPECT_FALSE(bob.failed()) << bob.error().describe();
  // A second relay process on the same state file (a real restart) sees the same database.
  RelayConfig config;
  config.state_file = (r.dir() / "relay-state.json").string();
  Relay second(config);
  second.start();
  const auto res = http_call(second.ports().admin, "GET", "/admin/stats");
  EXPECT_EQ(boost::json::parse(res.body).at("provisioning").at("cameras").to_number<int>(), 1);
}

TEST(RelayStreaming, FanOutOverTcpAndUdpAndUdpIngest) {
  RelayUnderTest r;
  provision(r);
  r.put_account("erin", "tok-erin");
  r.put_camera("cam-b", "erin", "sec-b");
  boost::asio::io_context io;
  TestCamera a(io, r.url("cam-a"), "cam-a", "alice", "sec-a", kCodeA);
  TestCamera b(io, r.url("cam-b"), "cam-b", "erin", "sec-b", kCodeB, rtsp::RtpTransport::udp);
  a.start();
  b.start();
  std::vector<std::unique_ptr<TestViewer>> viewers;
  for (int i = 0; i < 3; ++i) {
    viewers.push_back(std::make_unique<TestViewer>(
        io, r.url("cam-a"), i == 0 ? "alice" : "bob", i == 0 ? "tok-alice" : "tok-bob",
        i == 2 ? rtsp::RtpTransport::udp : rtsp::RtpTransport::tcp_interleaved));
  }
  viewers.push_back(std::make_unique<TestViewer>(io, r.url("cam-b"), "erin", "tok-erin",
                                                 rtsp::RtpTransport::udp));
  for (auto& v : viewers) v->start();
  ASSERT_TRUE(run_until(io, [&] {
    for (auto& v : viewers) {
      if (v->frames() < 8 && !v->failed()) return false;
    }
    return true;
  }));
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_FALSE(viewers[i]->failed()) << viewers[i]->error().describe();
    EXPECT_EQ(viewers[i]->frames_from("cam-a"), viewers[i]->frames());
  }
  EXPECT_FALSE(viewers[3]->failed()) << viewers[3]->error().describe();
  EXPECT_EQ(viewers[3]->frames_from("cam-b"), viewers[3]->frames());
  // Fast start: a late joiner is first served the camera's GOP cache (keyframe onwards).
  const uint64_t before = counter(r, "fast_start_frames");
  TestViewer late(io, r.url("cam-a"), "bob", "tok-bob");
  late.start();
  ASSERT_TRUE(run_until(io, [&] { return late.frames() >= 1 || late.failed(); }));
  EXPECT_GE(counter(r, "fast_start_frames"), before + 1);
  EXPECT_EQ(late.frames_from("cam-a"), late.frames());
}

}  // namespace
}  // namespace camleak::relay::testing
