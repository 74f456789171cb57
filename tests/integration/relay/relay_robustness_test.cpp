// Hostile input against the relay: garbage and oversize RTSP, a lying SDP, huge access units, a
// camera that stops mid-frame, a viewer that never reads, a flood of connects. Each fault is
// counted, memory stays bounded by the configured caps, and everyone else keeps being served.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>

#include "emulators/rtsp/auth.hpp"
#include "tests/integration/relay/relay_test_support.hpp"

namespace camleak::relay::testing {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

void provision(RelayUnderTest& r) {
  r.put_account("alice", "tok-a");
  r.put_camera("cam-a", "alice", "sec-a");
  r.put_camera("cam-x", "alice", "sec-x");
}

// A publisher of hand-made access units (not decodable, the relay does not care).
struct RawPublisher {
  RawPublisher(asio::io_context& io, const std::string& url, const std::string& camera,
               const std::string& secret) {
    rtsp::RtspClientOptions options;
    options.url = url;
    options.user = camera;
    options.password = secret;
    options.max_send_queue_bytes = 64 << 20;
    client = rtsp::RtspClient::create(io, options);
    rtsp::H264SdpParams params;
    params.sps = {0x67, 0x42, 0xc0, 0x1f, 0xda};
    params.pps = {0x68, 0xce, 0x3c, 0x80};
    client->publish(rtsp::build_h264_sdp(params),
                    [this](const rtsp::ClientError& e, const rtsp::SessionInfo&) {
                      ready = !e;
                      failed = static_cast<bool>(e);
                    });
  }
  ~RawPublisher() { client->close(); }
  // One access unit of `bytes` (an IDR slice when keyframe), packetized normally.
  void send(size_t bytes, bool keyframe) {
    std::vector<std::vector<uint8_t>> nals(1, std::vector<uint8_t>(bytes, 0x5a));
    nals[0][0] = keyframe ? 0x65 : 0x41;
    packetizer.packetize(nals, ts += 3600,
                         [&](std::span<const uint8_t> p) { client->send_rtp(p); });
  }
  // Only the first `packets` RTP packets of an access unit: the camera dies mid-frame.
  void send_partial(size_t bytes, size_t packets) {
    std::vector<std::vector<uint8_t>> nals(1, std::vector<uint8_t>(bytes, 0x5a));
    nals[0][0] = 0x65;
    size_t sent = 0;
    packetizer.packetize(nals, ts += 3600, [&](std::span<const uint8_t> p) {
      if (sent++ < packets) client->send_rtp(p);
    });
  }
  std::shared_ptr<rtsp::RtspClient> client;
  rtsp::H264Packetizer packetizer;
  uint32_t ts = 0;
  bool ready = false;
  bool failed = false;
};

TEST(RelayRobustness, GarbageAndOversizeRtspAreCountedAndOthersKeepStreaming) {
  RelayUnderTest r(DefectSet{}, [](RelayConfig& c) { c.limits.max_header_bytes = 4096; });
  provision(r);
  asio::io_context io;
  TestCamera camera(io, r.url("cam-a"), "cam-a", "alice", "sec-a", 0x77);
  camera.start();
  TestViewer viewer(io, r.url("cam-a"), "alice", "tok-a");
  viewer.start();
  ASSERT_TRUE(run_until(io, [&] { return viewer.frames() >= 3; }));

  asio::io_context raw_io;
  // Garbage, a bad request line, a '$' frame on a bogus channel, then a valid OPTIONS.
  tcp::socket garbage(raw_io);
  garbage.connect({asio::ip::make_address("127.0.0.1"), r.ports().rtsp});
  std::string junk = "\x01\x02\xff\xfe hello\r\nNOT RTSP AT ALL\r\n\r\n$\x07\xff\xff";
  junk += "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n";
  asio::write(garbage, asio::buffer(junk));
  // A header block that never ends.
  tcp::socket huge(raw_io);
  huge.connect({asio::ip::make_address("127.0.0.1"), r.ports().rtsp});
  boost::system::error_code ec;
  asio::write(huge,
              asio::buffer(std::string("DESCRIBE rtsp://x/cameras/cam-a RTSP/1.0\r\nX: ") +
                           std::string(8000, 'a')),
              ec);
  // An ANNOUNCE whose SDP lies (no H.264 in it).
  tcp::socket liar(raw_io);
  liar.connect({asio::ip::make_address("127.0.0.1"), r.ports().rtsp});
  const std::string sdp =
      "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n";
  const std::string announce =
      "ANNOUNCE rtsp://127.0.0.1/cameras/cam-x RTSP/1.0\r\nCSeq: 2\r\nAuthorization: " +
      rtsp::basic_authorization("cam-x", "sec-x") +
      "\r\nContent-Type: application/sdp\r\nContent-Length: " + std::to_string(sdp.size()) +
      "\r\n\r\n" + sdp;
  asio::write(liar, asio::buffer(announce));

  ASSERT_TRUE(run_until(io, [&] {
    return counter(r, "rtsp_parse_errors") >= 2 && counter(r, "rtsp_fatal_framing") >= 1 &&
           counter(r, "sdp_rejected") >= 1;
  }));
  // The garbage connection still got its OPTIONS answered after resynchronising.
  char buf[512] = {};
  const size_t n = garbage.read_some(asio::buffer(buf), ec);
  EXPECT_NE(std::string(buf, n).find("RTSP/1.0 200"), std::string::npos);
  const size_t before = viewer.frames();
  ASSERT_TRUE(run_until(io, [&] { return viewer.frames() >= before + 5; }));
  EXPECT_FALSE(viewer.session_lost());
  EXPECT_GT(counter(r, "rtsp_garbage_bytes"), 0u);
}

TEST(RelayRobustness, HugeAccessUnitsAreDroppedAndCounted) {
  RelayUnderTest r(DefectSet{}, [](RelayConfig& c) { c.limits.max_access_unit_bytes = 64 * 1024; });
  provision(r);
  asio::io_context io;
  RawPublisher publisher(io, r.url("cam-x"), "cam-x", "sec-x");
  ASSERT_TRUE(run_until(io, [&] { return publisher.ready || publisher.failed; }));
  ASSERT_TRUE(publisher.ready);
  publisher.send(4000, true);
  publisher.send(300 * 1024, false);  // over the cap
  // What follows an oversize access unit may be judged incomplete (its start cannot be told
  // apart from the dropped unit's tail); the stream recovers at the next keyframe.
  publisher.send(2000, false);
  publisher.send(3000, true);
  publisher.send(1500, false);
  ASSERT_TRUE(run_until(io, [&] { return counter(r, "frames_in") >= 3; }))
      << boost::json::serialize(stats(r));
  EXPECT_EQ(counter(r, "frames_oversize"), 1u);
}

TEST(RelayRobustness, CameraStoppingMidFrameTimesOut) {
  RelayUnderTest r(DefectSet{},
                   [](RelayConfig& c) { c.timeouts.ingest = std::chrono::milliseconds(300); });
  provision(r);
  asio::io_context io;
  RawPublisher publisher(io, r.url("cam-x"), "cam-x", "sec-x");
  ASSERT_TRUE(run_until(io, [&] { return publisher.ready || publisher.failed; }));
  ASSERT_TRUE(publisher.ready);
  for (int i = 0; i < 4; ++i) publisher.send(4000, i == 0);
  publisher.send_partial(20000, 3);
  ASSERT_TRUE(run_until(io, [&] { return counter(r, "sessions_timed_out") >= 1; }));
  EXPECT_EQ(active(r, "publishers"), 0);
  // The complete frames went through (the depacketizer may judge the very first one
  // incomplete); the half frame never did.
  EXPECT_GE(counter(r, "frames_in"), 3u);
  EXPECT_LE(counter(r, "frames_in"), 4u);
}

TEST(RelayRobustness, ViewerThatNeverReadsIsBoundedThenClosed) {
  constexpr size_t kQueueCap = 256 * 1024;
  RelayUnderTest r(DefectSet{}, [](RelayConfig& c) {
    c.limits.max_viewer_queue_bytes = kQueueCap;
    c.timeouts.write_stall = std::chrono::milliseconds(1500);
  });
  provision(r);
  asio::io_context io;
  RawPublisher publisher(io, r.url("cam-x"), "cam-x", "sec-x");
  ASSERT_TRUE(run_until(io, [&] { return publisher.ready || publisher.failed; }));
  // The sleeper: SETUP + PLAY, then never reads (tiny receive buffer).
  tcp::socket sleeper(io);
  sleeper.open(tcp::v4());
  sleeper.set_option(asio::socket_base::receive_buffer_size(4096));
  sleeper.connect({asio::ip::make_address("127.0.0.1"), r.ports().rtsp});
  const std::string auth = rtsp::basic_authorization("alice", "tok-a");
  const std::string base = "rtsp://127.0.0.1/cameras/cam-x";
  asio::write(sleeper, asio::buffer("SETUP " + base +
                                    "/streamid=0 RTSP/1.0\r\nCSeq: 1\r\nAuthorization: " + auth +
                                    "\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n"));
  char buf[2048];
  const size_t n = sleeper.read_some(asio::buffer(buf));
  const std::string setup(buf, n);
  const size_t at = setup.find("Session: ");
  ASSERT_NE(at, std::string::npos) << setup;
  const std::string session = setup.substr(at + 9, setup.find_first_of(";\r", at + 9) - at - 9);
  asio::write(sleeper, asio::buffer("PLAY " + base + " RTSP/1.0\r\nCSeq: 2\r\nAuthorization: " +
                                    auth + "\r\nSession: " + session + "\r\n\r\n"));
  ASSERT_TRUE(run_until(io, [&] { return active(r, "viewers") == 1; }));
  // A well-behaved viewer of the same camera.
  TestViewer good(io, r.url("cam-x"), "alice", "tok-a");
  good.start();
  ASSERT_TRUE(run_until(io, [&] { return good.playing(); }));
  uint64_t max_queued = 0;
  size_t sent = 0;
  ASSERT_TRUE(run_until(
      io,
      [&] {
        publisher.send(100 * 1024, sent % 10 == 0);
        ++sent;
        const auto s = stats(r);
        for (const auto& v : s.at("viewers").as_array()) {
          max_queued = std::max(max_queued, v.at("queued_bytes").to_number<uint64_t>());
        }
        return s.at("counters").at("frames_dropped").to_number<uint64_t>() >= 5;
      },
      std::chrono::milliseconds(20000)));
  // Bounded: the cap plus at most one frame in flight.
  EXPECT_LE(max_queued, kQueueCap + 110 * 1024);
  // The good viewer kept receiving while the sleeper was being dropped.
  ASSERT_TRUE(run_until(io, [&] { return good.frames() >= sent / 2; }));
  // The sleeper's pending write stalls past write_stall: it is closed, the good one is not.
  ASSERT_TRUE(run_until(io, [&] { return counter(r, "write_stalls") >= 1; }));
  EXPECT_EQ(active(r, "viewers"), 1);
  EXPECT_FALSE(good.session_lost());
}

TEST(RelayRobustness, ConnectFloodIsCappedAndCounted) {
  RelayUnderTest r(DefectSet{}, [](RelayConfig& c) { c.limits.max_connections = 10; });
  provision(r);
  asio::io_context raw_io;
  std::vector<std::unique_ptr<tcp::socket>> flood;
  for (int i = 0; i < 30; ++i) {
    flood.push_back(std::make_unique<tcp::socket>(raw_io));
    flood.back()->connect({asio::ip::make_address("127.0.0.1"), r.ports().rtsp});
  }
  asio::io_context io;
  ASSERT_TRUE(run_until(io, [&] { return counter(r, "rtsp_connections_refused") >= 15; }));
  // Every flood connection was either accepted or refused before the flood ends.
  ASSERT_TRUE(run_until(io, [&] {
    return counter(r, "rtsp_connections_refused") + counter(r, "rtsp_connections_accepted") >= 30;
  }));
  EXPECT_EQ(counter(r, "rtsp_connections_accepted"), 10u);
  flood.clear();
  ASSERT_TRUE(run_until(io, [&] { return active(r, "rtsp_connections") == 0; }));
  TestCamera camera(io, r.url("cam-a"), "cam-a", "alice", "sec-a", 0x77);
  camera.start();
  TestViewer viewer(io, r.url("cam-a"), "alice", "tok-a");
  viewer.start();
  ASSERT_TRUE(run_until(io, [&] { return viewer.frames() >= 3 || viewer.failed(); }))
      << camera.error().describe() << boost::json::serialize(stats(r));
  EXPECT_FALSE(viewer.failed()) << viewer.error().describe();
}

}  // namespace
}  // namespace camleak::relay::testing
