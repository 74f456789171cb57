// RtspClient against a scripted server on loopback: publish and play, over TCP interleaved
// and UDP, with Basic and Digest, and the failure paths the emulators rely on.
#include "emulators/rtsp/rtsp_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <thread>

#include "emulators/rtsp/h264_depacketizer.hpp"
#include "emulators/rtsp/h264_packetizer.hpp"
#include "emulators/rtsp/sdp.hpp"
#include "harness/core/rng.hpp"
#include "harness/tls/context.hpp"
#include "tests/integration/rtsp/scripted_server.hpp"

namespace camleak::rtsp {
namespace {

using testing::ScriptedServer;
using testing::ServerScript;
using Nals = std::vector<std::vector<uint8_t>>;

// Runs the io_context until `done` holds; fails the test after the deadline.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds deadline = std::chrono::milliseconds(10000)) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    if (io.stopped()) io.restart();
    if (io.run_one_for(std::chrono::milliseconds(20)) == 0 && io.stopped()) {
      // Out of work (the condition waits on the scripted server's thread): run_one_for returned
      // at once, so pause instead of spinning and taking the CPU from that thread.
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  return true;
}

std::vector<Nals> make_aus(size_t n) {
  Rng rng(42);
  std::vector<Nals> aus;
  for (size_t i = 0; i < n; ++i) {
    Nals au;
    au.push_back({0x06, 5, 1, static_cast<uint8_t>(i), 0x80});
    std::vector<uint8_t> slice(i % 3 == 0 ? 4000 : 300);
    slice[0] = i % 3 == 0 ? 0x65 : 0x41;
    for (size_t k = 1; k < slice.size(); ++k) slice[k] = static_cast<uint8_t>(rng.below(256));
    au.push_back(std::move(slice));
    aus.push_back(std::move(au));
  }
  return aus;
}

std::string camera_sdp() {
  H264SdpParams p;
  p.sps = {0x67, 0x42, 0xc0, 0x1f, 0xda};
  p.pps = {0x68, 0xce, 0x3c, 0x80};
  p.control = "trackID=0";
  return build_h264_sdp(p);
}

std::vector<std::string> methods(const ScriptedServer& s) {
  std::vector<std::string> m;
  for (const auto& r : s.requests) m.push_back(r.method);
  return m;
}

struct Outcome {
  bool done = false;
  ClientError error;
  SessionInfo info;
  RtspClient::SessionCompletion handler() {
    return [this](const ClientError& e, const SessionInfo& i) {
      done = true;
      error = e;
      info = i;
    };
  }
};

void publish_and_check(RtpTransport transport, ServerScript::Auth auth) {
  boost::asio::io_context io;
  ServerScript script;
  script.auth = auth;
  ScriptedServer server(io, script);
  RtspClientOptions opts;
  opts.url = server.url(auth == ServerScript::Auth::none ? "" : "cam-1:secret");
  opts.transport = transport;
  auto client = RtspClient::create(io, opts);
  Outcome out;
  std::string sdp = camera_sdp();
  client->publish(sdp, out.handler());
  ASSERT_TRUE(run_until(io, [&] { return out.done; }));
  ASSERT_FALSE(out.error) << out.error.describe();
  EXPECT_EQ(client->state(), RtspClient::State::streaming);
  EXPECT_EQ(out.info.control_url, server.url() + "/trackID=0");
  EXPECT_EQ(out.info.session.id, "4711");

  auto aus = make_aus(12);
  H264Packetizer packetizer({.ssrc = 7, .initial_sequence = 100});
  size_t sent = 0;
  for (size_t i = 0; i < aus.size(); ++i) {
    packetizer.packetize(aus[i], static_cast<uint32_t>(i * 3000), [&](std::span<const uint8_t> p) {
      EXPECT_TRUE(client->send_rtp(p));
      ++sent;
    });
  }
  ASSERT_TRUE(run_until(io, [&] { return server.rtp_received.size() == sent; }));
  std::vector<ReceivedAccessUnit> got;
  H264Depacketizer depack({.first_sequence = 100},
                          [&](ReceivedAccessUnit&& au) { got.push_back(std::move(au)); });
  for (const auto& p : server.rtp_received) depack.push(p);
  ASSERT_EQ(got.size(), aus.size());
  for (size_t i = 0; i < aus.size(); ++i) EXPECT_EQ(got[i].nals, aus[i]);

  bool torn_down = false;
  ClientError teardown_error;
  client->teardown([&](const ClientError& e) {
    torn_down = true;
    teardown_error = e;
  });
  ASSERT_TRUE(run_until(io, [&] { return torn_down && server.client_closed; }));
  EXPECT_FALSE(teardown_error) << teardown_error.describe();
  EXPECT_EQ(client->state(), RtspClient::State::closed);

  std::vector<std::string> expected = {"OPTIONS", "ANNOUNCE", "SETUP", "RECORD", "TEARDOWN"};
  if (auth == ServerScript::Auth::digest)
    expected.insert(expected.begin(), "OPTIONS");  // 401 first
  EXPECT_EQ(methods(server), expected);
  const Request* announce = nullptr;
  for (const auto& r : server.requests) {
    if (r.method == "ANNOUNCE") announce = &r;
  }
  ASSERT_NE(announce, nullptr);
  EXPECT_EQ(announce->body, sdp);
  auto setup_transport =
      parse_transport(server.requests[expected.size() - 3].headers.get("Transport"));
  ASSERT_TRUE(setup_transport);
  EXPECT_EQ(setup_transport->mode, TransportMode::record);
  if (transport == RtpTransport::udp) {
    EXPECT_EQ(setup_transport->lower, LowerTransport::udp);
    EXPECT_EQ(server.client_rtp_port % 2, 0);
    EXPECT_EQ(server.client_rtcp_port, server.client_rtp_port + 1);
  } else {
    EXPECT_EQ(setup_transport->interleaved, (PortPair{0, 1}));
  }
  EXPECT_EQ(client->counters().rtp_packets_sent, sent);
  EXPECT_EQ(client->counters().auth_retries, auth == ServerScript::Auth::digest ? 1u : 0u);
}

TEST(RtspClientPublish, TcpInterleavedWithDigest) {
  publish_and_check(RtpTransport::tcp_interleaved, ServerScript::Auth::digest);
}

TEST(RtspClientPublish, UdpWithBasic) {
  publish_and_check(RtpTransport::udp, ServerScript::Auth::basic);
}

void play_and_check(RtpTransport transport) {
  boost::asio::io_context io;
  auto aus = make_aus(9);
  ServerScript script;
  script.auth = ServerScript::Auth::basic;
  script.user = "acct-1";
  script.password = "token-1";
  script.describe_sdp = camera_sdp();
  script.play_first_sequence = 65530;  // wraps during the stream
  H264Packetizer packetizer({.ssrc = 3, .initial_sequence = script.play_first_sequence});
  for (size_t i = 0; i < aus.size(); ++i) {
    packetizer.packetize(aus[i], static_cast<uint32_t>(i * 3000), [&](std::span<const uint8_t> p) {
      script.play_packets.emplace_back(p.begin(), p.end());
    });
  }
  ScriptedServer server(io, script);
  RtspClientOptions opts;
  opts.url = server.url();
  opts.user = "acct-1";
  opts.password = "token-1";
  opts.transport = transport;
  auto client = RtspClient::create(io, opts);
  std::vector<ReceivedAccessUnit> got;
  H264Depacketizer depack({.first_sequence = script.play_first_sequence},
                          [&](ReceivedAccessUnit&& au) { got.push_back(std::move(au)); });
  client->on_rtp([&](std::span<const uint8_t> p) { depack.push(p); });
  Outcome out;
  client->play(out.handler());
  ASSERT_TRUE(run_until(io, [&] { return out.done; }));
  ASSERT_FALSE(out.error) << out.error.describe();
  EXPECT_EQ(out.info.track.sps, (std::vector<uint8_t>{0x67, 0x42, 0xc0, 0x1f, 0xda}));
  EXPECT_EQ(out.info.control_url, server.url() + "/trackID=0");
  ASSERT_EQ(out.info.rtp_info.size(), 1u);
  EXPECT_EQ(out.info.rtp_info[0].seq, script.play_first_sequence);
  ASSERT_TRUE(run_until(io, [&] { return got.size() == aus.size(); }));
  for (size_t i = 0; i < aus.size(); ++i) EXPECT_EQ(got[i].nals, aus[i]);
  EXPECT_EQ(methods(server), (std::vector<std::string>{"OPTIONS", "DESCRIBE", "SETUP", "PLAY"}));
  EXPECT_EQ(client->counters().rtp_packets_received, script.play_packets.size());
  client->close();
  ASSERT_TRUE(run_until(io, [&] { return server.client_closed; }));
}

TEST(RtspClientPlay, TcpInterleaved) {
  play_and_check(RtpTransport::tcp_interleaved);
}
TEST(RtspClientPlay, Udp) {
  play_and_check(RtpTransport::udp);
}

ClientError play_expecting_failure(ServerScript script, RtspClientOptions opts,
                                   std::vector<std::string>* seen = nullptr) {
  boost::asio::io_context io;
  script.describe_sdp = camera_sdp();
  ScriptedServer server(io, script);
  if (opts.url.empty()) opts.url = server.url();
  auto client = RtspClient::create(io, opts);
  Outcome out;
  client->play(out.handler());
  EXPECT_TRUE(run_until(io, [&] { return out.done; }));
  EXPECT_EQ(client->state(), RtspClient::State::closed);
  if (seen) *seen = methods(server);
  return out.error;
}

TEST(RtspClientErrors, NotFoundIsADefiniteStatusFailure) {
  RtspClientOptions opts;
  ServerScript script;
  script.fail_with["DESCRIBE"] = 404;
  ClientError e = play_expecting_failure(script, opts);
  EXPECT_EQ(e.kind, ClientErrorKind::status);
  EXPECT_EQ(e.status, 404);
  EXPECT_FALSE(e.indeterminate);
  EXPECT_NE(e.message.find("DESCRIBE"), std::string::npos);
}

TEST(RtspClientErrors, WrongPasswordIsUnauthorizedWithoutRetryLoop) {
  ServerScript script;
  script.auth = ServerScript::Auth::digest;
  RtspClientOptions opts;
  opts.user = "cam-1";
  opts.password = "wrong";
  std::vector<std::string> seen;
  ClientError e = play_expecting_failure(script, opts, &seen);
  EXPECT_EQ(e.kind, ClientErrorKind::unauthorized);
  EXPECT_EQ(e.status, 401);
  EXPECT_EQ(seen, (std::vector<std::string>{"OPTIONS", "OPTIONS"}));  // Basic, then one Digest try
}

TEST(RtspClientErrors, NoCredentialsGives401) {
  ServerScript script;
  script.auth = ServerScript::Auth::basic;
  ClientError e = play_expecting_failure(script, RtspClientOptions{});
  EXPECT_EQ(e.kind, ClientErrorKind::unauthorized);
}

TEST(RtspClientErrors, UnansweredRequestTimesOutIndeterminate) {
  ServerScript script;
  script.never_answer.insert("SETUP");
  RtspClientOptions opts;
  opts.request_timeout = std::chrono::milliseconds(200);
  ClientError e = play_expecting_failure(script, opts);
  EXPECT_EQ(e.kind, ClientErrorKind::timeout);
  EXPECT_TRUE(e.indeterminate);
  EXPECT_NE(e.message.find("SETUP"), std::string::npos);
}

TEST(RtspClientErrors, ConnectionRefusedAndBadUrl) {
  boost::asio::io_context io;
  uint16_t closed_port;
  {
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    closed_port = a.local_endpoint().port();
  }
  RtspClientOptions opts;
  opts.url = "rtsp://127.0.0.1:" + std::to_string(closed_port) + "/cameras/x";
  auto client = RtspClient::create(io, opts);
  Outcome out;
  client->play(out.handler());
  ASSERT_TRUE(run_until(io, [&] { return out.done; }));
  EXPECT_EQ(out.error.kind, ClientErrorKind::connect);
  EXPECT_FALSE(out.error.indeterminate);

  RtspClientOptions bad;
  bad.url = "http://127.0.0.1/x";
  auto c2 = RtspClient::create(io, bad);
  Outcome out2;
  c2->play(out2.handler());
  EXPECT_FALSE(out2.done);  // never called from inside play()
  ASSERT_TRUE(run_until(io, [&] { return out2.done; }));
  EXPECT_EQ(out2.error.kind, ClientErrorKind::bad_input);
}

// The TLS handshake is part of connecting: a server that accepts TCP and never answers the
// ClientHello times out under connect_timeout, before any RTSP request was sent.
TEST(RtspClientErrors, TlsHandshakeUnderTheConnectDeadline) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  boost::asio::ip::tcp::socket held(io);
  silent.async_accept(held, [](const boost::system::error_code&) {});
  RtspClientOptions opts;
  opts.url = "rtsps://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/cameras/x";
  opts.connect_timeout = std::chrono::milliseconds(300);
  opts.tls = tls::make_client_context({.insecure = true});
  auto client = RtspClient::create(io, opts);
  Outcome out;
  client->play(out.handler());
  ASSERT_TRUE(run_until(io, [&] { return out.done; }));
  EXPECT_EQ(out.error.kind, ClientErrorKind::timeout) << out.error.describe();
  EXPECT_EQ(client->counters().requests_sent, 0u);

  RtspClientOptions no_context;
  no_context.url = opts.url;
  auto c2 = RtspClient::create(io, no_context);
  Outcome out2;
  c2->play(out2.handler());
  ASSERT_TRUE(run_until(io, [&] { return out2.done; }));
  EXPECT_EQ(out2.error.kind, ClientErrorKind::bad_input);
  EXPECT_NE(out2.error.message.find("TLS context"), std::string::npos) << out2.error.describe();
}

TEST(RtspClientSession, KeepAliveThenPeerResetIsReportedOnce) {
  boost::asio::io_context io;
  ServerScript script;
  script.describe_sdp = camera_sdp();
  ScriptedServer server(io, script);
  RtspClientOptions opts;
  opts.url = server.url();
  opts.keepalive_interval = std::chrono::milliseconds(30);
  auto client = RtspClient::create(io, opts);
  int session_errors = 0;
  ClientError session_error;
  client->on_session_error([&](const ClientError& e) {
    ++session_errors;
    session_error = e;
  });
  Outcome out;
  client->play(out.handler());
  ASSERT_TRUE(run_until(io, [&] { return out.done; }));
  ASSERT_FALSE(out.error) << out.error.describe();
  auto keepalives = [&] {
    size_t n = 0;
    for (const auto& r : server.requests) n += r.method == "GET_PARAMETER";
    return n;
  };
  ASSERT_TRUE(run_until(io, [&] { return keepalives() >= 3; }));
  for (const auto& r : server.requests) {
    if (r.method == "GET_PARAMETER") {
      EXPECT_EQ(r.headers.get("Session"), "4711");
    }
  }
  EXPECT_EQ(session_errors, 0);
  client->close();
  EXPECT_EQ(session_errors, 0);  // a deliberate close is not a session error

  // Second session: the server drops the connection right after PLAY.
  boost::asio::io_context io2;
  script.reset_after_start = true;
  ScriptedServer server2(io2, script);
  opts.url = server2.url();
  opts.keepalive_interval = std::chrono::milliseconds(0);
  auto c2 = RtspClient::create(io2, opts);
  c2->on_session_error([&](const ClientError& e) {
    ++session_errors;
    session_error = e;
  });
  Outcome out2;
  c2->play(out2.handler());
  ASSERT_TRUE(run_until(io2, [&] { return out2.done && session_errors > 0; }));
  EXPECT_FALSE(out2.error);
  EXPECT_EQ(session_errors, 1);
  EXPECT_EQ(session_error.kind, ClientErrorKind::connection_closed);
  EXPECT_TRUE(session_error.indeterminate);
  EXPECT_EQ(c2->state(), RtspClient::State::closed);
  EXPECT_FALSE(c2->send_rtp(std::vector<uint8_t>(20, 0x80)));
}

TEST(RtspClientSession, AnswersServerRequestsAndFailsOnUnframeableInput) {
  boost::asio::io_context io;
  ServerScript script;
  // After RECORD: a server-initiated GET_PARAMETER (must be answered), some garbage (counted,
  // skipped), then a header block that never ends (fatal: the session is lost).
  script.after_start_raw = "GET_PARAMETER rtsp://127.0.0.1/x RTSP/1.0\r\nCSeq: 900\r\n\r\n" +
                           std::string("\x01\x02\x03 garbage ") +
                           "RTSP/1.0 200 OK\r\nCSeq: 901\r\n" + std::string(70 * 1024, 'x');
  ScriptedServer server(io, script);
  RtspClientOptions opts;
  opts.url = server.url();
  auto client = RtspClient::create(io, opts);
  std::optional<ClientError> session_error;
  client->on_session_error([&](const ClientError& e) { session_error = e; });
  Outcome out;
  client->publish(camera_sdp(), out.handler());
  ASSERT_TRUE(run_until(io, [&] { return out.done && session_error.has_value(); }));
  EXPECT_FALSE(out.error) << out.error.describe();
  EXPECT_EQ(session_error->kind, ClientErrorKind::protocol);
  EXPECT_NE(session_error->message.find("header"), std::string::npos) << session_error->message;
  ASSERT_TRUE(run_until(io, [&] { return server.responses.size() == 1 && server.client_closed; }));
  EXPECT_EQ(server.responses[0].cseq(), 900u);
  EXPECT_EQ(server.responses[0].status, 200);
  EXPECT_EQ(client->counters().server_requests, 1u);
  EXPECT_EQ(client->parser_counters().header_too_large, 1u);
  EXPECT_GT(client->parser_counters().bytes_garbage, 0u);
}

TEST(RtspClientSession, ManyClientsShareOneIoContext) {
  boost::asio::io_context io;
  ServerScript script;
  script.describe_sdp = camera_sdp();
  std::vector<std::unique_ptr<ScriptedServer>> servers;
  std::vector<std::shared_ptr<RtspClient>> clients;
  std::vector<Outcome> outs(20);
  for (size_t i = 0; i < outs.size(); ++i) {
    servers.push_back(std::make_unique<ScriptedServer>(io, script));
    RtspClientOptions opts;
    opts.url = servers.back()->url();
    opts.transport = i % 2 ? RtpTransport::udp : RtpTransport::tcp_interleaved;
    clients.push_back(RtspClient::create(io, opts));
    clients.back()->play(outs[i].handler());
  }
  ASSERT_TRUE(run_until(io, [&] {
    for (auto& o : outs) {
      if (!o.done) return false;
    }
    return true;
  }));
  for (auto& o : outs) EXPECT_FALSE(o.error) << o.error.describe();
  for (auto& c : clients) c->close();
}

}  // namespace
}  // namespace camleak::rtsp
