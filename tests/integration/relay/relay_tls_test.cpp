// The reference relay serving TLS on all three ports, against camleak's TLS clients: the admin
// client provisions over https, a camera publishes and viewers play over rtsps (interleaved
// inside TLS, and RTP over plain UDP), a wrong CA fails the handshake with OpenSSL's reason while
// `insecure` connects, a snapshot GET over https with a Bearer token gets image/jpeg, and
// plain-text clients are refused and counted without disturbing the TLS ones.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "emulators/hub/http_get.hpp"
#include "emulators/media/still_image.hpp"
#include "harness/core/errors.hpp"
#include "harness/runner/http_client.hpp"
#include "harness/tls/context.hpp"
#include "tests/integration/relay/relay_test_support.hpp"
#include "tests/support/test_certificates.hpp"

namespace camleak::relay::testing {
namespace {

namespace ssl = boost::asio::ssl;
constexpr uint32_t kCodeA = 0x1a2b;

// A relay with TLS on every port, provisioned over https: alice owns cam-a and shares it with
// bob.
struct TlsRelay {
  TlsRelay() {
    runner::HttpClient admin(runner::parse_http_url(r.relay().admin_base(), "admin"),
                             {.tls = client_tls});
    const auto put = [&](const std::string& target, const std::string& body) {
      const auto answer = admin.request("PUT", target, body);
      EXPECT_EQ(answer.status, 200) << target << ": " << answer.body;
    };
    put("/admin/accounts/alice", R"({"token": "tok-alice"})");
    put("/admin/accounts/bob", R"({"token": "tok-bob"})");
    put("/admin/cameras/cam-a", R"({"owner": "alice", "secret": "sec-a"})");
    put("/admin/cameras/cam-a/shares/bob", "");
  }

  // counters.<name> of /admin/stats, read over https.
  uint64_t tls_counter(const char* name) {
    const auto answer =
        runner::http_request(runner::parse_http_url(r.relay().admin_base(), "admin"), "GET",
                             "/admin/stats", {}, std::chrono::seconds(5), client_tls);
    if (answer.status != 200) return 0;
    const boost::json::value stats = boost::json::parse(answer.body);
    const auto* value = stats.at("counters").as_object().if_contains(name);
    return value != nullptr ? value->to_number<uint64_t>() : 0;
  }

  camleak::testing::TestCertificates certs;
  RelayUnderTest r{{}, [this](RelayConfig& c) { c.tls = certs.server_settings(); }};
  std::shared_ptr<ssl::context> client_tls = tls::make_client_context(certs.client_settings());
  boost::asio::io_context io;
};

TEST(RelayTls, UrlsSayTlsAndTheAdminClientProvisionsOverHttps) {
  TlsRelay t;  // provisions in its constructor (each PUT asserted 200)
  EXPECT_EQ(t.r.url("cam-a").rfind("rtsps://127.0.0.1:", 0), 0u) << t.r.url("cam-a");
  EXPECT_EQ(t.r.relay().admin_base().rfind("https://", 0), 0u);
  EXPECT_EQ(t.r.relay().http_base().rfind("https://", 0), 0u);
  runner::HttpClient admin(runner::parse_http_url(t.r.relay().admin_base(), "admin"),
                           {.tls = t.client_tls});
  EXPECT_EQ(admin.request("GET", "/admin/health").status, 200);
  EXPECT_EQ(admin.request("PUT", "/admin/accounts/carol", R"({"token": "tok-carol"})").status, 200);
  EXPECT_EQ(admin.connects(), 1u);  // kept alive inside TLS
  // An https:// URL without TLS settings is refused up front.
  EXPECT_THROW(runner::HttpClient(runner::parse_http_url(t.r.relay().admin_base(), "admin")),
               InputError);
}

TEST(RelayTls, CameraPublishesAndViewersPlayOverRtsps) {
  TlsRelay t;
  TestCamera camera(t.io, t.r.url("cam-a"), "cam-a", "alice", "sec-a", kCodeA);
  camera.options().tls = t.client_tls;
  camera.start();
  ASSERT_TRUE(run_until(t.io, [&] { return camera.publishing() || camera.failed(); }));
  ASSERT_TRUE(camera.publishing()) << camera.error().describe();
  TestViewer tcp(t.io, t.r.url("cam-a"), "bob", "tok-bob");
  tcp.options().tls = t.client_tls;
  TestViewer udp(t.io, t.r.url("cam-a"), "alice", "tok-alice", rtsp::RtpTransport::udp);
  udp.options().tls = t.client_tls;
  tcp.start();
  udp.start();
  ASSERT_TRUE(run_until(
      t.io,
      [&] { return tcp.failed() || udp.failed() || (tcp.frames() >= 5 && udp.frames() >= 5); }))
      << tcp.frames() << " " << udp.frames();
  ASSERT_FALSE(tcp.failed()) << tcp.error().describe();
  ASSERT_FALSE(udp.failed()) << udp.error().describe();
  EXPECT_GE(tcp.frames_from("cam-a"), 5u);
  EXPECT_EQ(tcp.frames_not_from("cam-a"), 0u);
  EXPECT_GE(udp.frames_from("cam-a"), 5u);
  EXPECT_EQ(t.tls_counter("tls_handshake_failures"), 0u);
}

TEST(RelayTls, WrongCaFailsTheHandshakeClearlyAndInsecureConnects) {
  TlsRelay t;
  TestViewer wrong(t.io, t.r.url("cam-a"), "bob", "tok-bob");
  wrong.options().tls = tls::make_client_context({.ca_file = t.certs.other_ca_cert()});
  wrong.start();
  ASSERT_TRUE(run_until(t.io, [&] { return wrong.failed() || wrong.playing(); }));
  ASSERT_TRUE(wrong.failed());
  EXPECT_EQ(wrong.error().kind, rtsp::ClientErrorKind::tls) << wrong.error().describe();
  EXPECT_FALSE(wrong.error().indeterminate);
  EXPECT_NE(wrong.error().message.find("certificate verify failed"), std::string::npos)
      << wrong.error().describe();

  TestViewer no_context(t.io, t.r.url("cam-a"), "bob", "tok-bob");
  no_context.start();
  ASSERT_TRUE(run_until(t.io, [&] { return no_context.failed(); }));
  EXPECT_EQ(no_context.error().kind, rtsp::ClientErrorKind::bad_input);

  TestViewer insecure(t.io, t.r.url("cam-a"), "bob", "tok-bob");
  insecure.options().tls = tls::make_client_context({.insecure = true});
  insecure.start();
  ASSERT_TRUE(run_until(t.io, [&] { return insecure.failed() || insecure.playing(); }));
  EXPECT_TRUE(insecure.playing()) << insecure.error().describe();
  // The relay saw the refused handshake (the client's alert) and counted it.
  EXPECT_TRUE(run_until(t.io, [&] { return t.tls_counter("tls_handshake_failures") >= 1; }));
}

TEST(RelayTls, PlainTextClientsAreRefusedAndCounted) {
  TlsRelay t;
  // rtsp:// to the RTSPS port: the relay reads no RTSP, so the client never gets an answer.
  TestViewer plain(t.io, "rtsp://127.0.0.1:" + std::to_string(t.r.ports().rtsp) + "/cameras/cam-a",
                   "bob", "tok-bob");
  plain.start();
  ASSERT_TRUE(run_until(t.io, [&] { return plain.failed(); }));
  // HTTP to the HTTPS snapshot port: no HTTP answer at all.
  EXPECT_EQ(
      http_call(t.r.ports().http, "GET", "/cameras/cam-a/snapshot", {}, "Bearer tok-bob").status,
      0);
  EXPECT_TRUE(run_until(t.io, [&] { return t.tls_counter("tls_handshake_failures") >= 2; }));
  TestViewer good(t.io, t.r.url("cam-a"), "bob", "tok-bob");
  good.options().tls = t.client_tls;
  good.start();
  ASSERT_TRUE(run_until(t.io, [&] { return good.failed() || good.playing(); }));
  EXPECT_TRUE(good.playing()) << good.error().describe();
}

emulators::HttpGetResult snapshot(TlsRelay& t, std::shared_ptr<ssl::context> tls,
                                  const std::string& token) {
  emulators::HttpGetResult out;
  bool done = false;
  emulators::http_get(t.io,
                      {.host = "127.0.0.1",
                       .port = t.r.ports().http,
                       .target = "/cameras/cam-a/snapshot",
                       .bearer_token = token,
                       .tls = std::move(tls)},
                      [&](emulators::HttpGetResult&& result) {
                        out = std::move(result);
                        done = true;
                      });
  EXPECT_TRUE(run_until(t.io, [&] { return done; }));
  return out;
}

TEST(RelayTls, SnapshotOverHttpsWithABearerTokenIsTheCamerasJpeg) {
  TlsRelay t;
  TestCamera camera(t.io, t.r.url("cam-a"), "cam-a", "alice", "sec-a", kCodeA);
  camera.options().tls = t.client_tls;
  camera.start();
  ASSERT_TRUE(run_until(t.io, [&] { return camera.frames_sent() >= 3 || camera.failed(); }));
  emulators::HttpGetResult owner;
  ASSERT_TRUE(run_until(t.io, [&] {
    owner = snapshot(t, t.client_tls, "tok-bob");
    return owner.status == 200 || owner.outcome != emulators::HttpGetResult::Outcome::response;
  }));
  ASSERT_EQ(owner.outcome, emulators::HttpGetResult::Outcome::response) << owner.message;
  EXPECT_EQ(owner.status, 200);
  EXPECT_EQ(owner.content_type, "image/jpeg");
  const auto identity = media::identify_jpeg(owner.body);
  ASSERT_TRUE(identity.pixel_code.has_value());
  EXPECT_EQ(*identity.pixel_code, kCodeA);
  EXPECT_EQ(snapshot(t, t.client_tls, "wrong").status, 401);

  // A handshake refused by the certificate check: nothing was sent, so nothing is proved.
  const auto refused =
      snapshot(t, tls::make_client_context({.ca_file = t.certs.other_ca_cert()}), "tok-bob");
  EXPECT_EQ(refused.outcome, emulators::HttpGetResult::Outcome::connect_failed) << refused.message;
  EXPECT_FALSE(refused.request_sent);
  EXPECT_FALSE(refused.headers_received);
  EXPECT_NE(refused.message.find("certificate verify failed"), std::string::npos)
      << refused.message;
}

}  // namespace
}  // namespace camleak::relay::testing
