// The tap's pcap output read back with libpcap: packet counts, the synthesized handshake and
// payloads, and the in-memory ring's window.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <filesystem>

#include "harness/proxy/proxy_thread.hpp"
#include "tests/integration/proxy/loopback.hpp"

namespace camleak::proxy {
namespace {

using namespace testing;

struct Frame {
  std::vector<uint8_t> bytes;
};

std::vector<Frame> read_pcap(const std::string& path) {
  char errbuf[PCAP_ERRBUF_SIZE];
  std::unique_ptr<pcap_t, decltype(&pcap_close)> p(pcap_open_offline(path.c_str(), errbuf),
                                                   &pcap_close);
  EXPECT_TRUE(p) << errbuf;
  std::vector<Frame> out;
  if (!p) return out;
  EXPECT_EQ(pcap_datalink(p.get()), DLT_EN10MB);
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(p.get(), &header, &data) == 1) {
    out.push_back({std::vector<uint8_t>(data, data + header->caplen)});
  }
  return out;
}

uint8_t tcp_flags_of(const Frame& f) {
  return f.bytes.at(14 + 20 + 13);
}
size_t tcp_payload(const Frame& f) {
  return f.bytes.size() - 14 - 20 - 20;
}

class PcapTapTest : public ::testing::Test {
 protected:
  PcapTapTest() : runner_(clock_, &events_) {
    dir_ = std::filesystem::temp_directory_path() /
           ("camleak-pcap-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  ~PcapTapTest() override { std::filesystem::remove_all(dir_); }

  SteadyClock clock_;
  EventLog events_;
  ProxyThread runner_;
  std::filesystem::path dir_;
};

TEST_F(PcapTapTest, TcpConnectionsAreWrittenWithHandshakeDataAndFin) {
  TcpServer server;
  const std::string file = (dir_ / "tcp.pcap").string();
  const uint16_t port =
      runner_.proxy()
          .add_link(LinkConfig{.name = "tapped",
                               .upstream = "127.0.0.1:" + std::to_string(server.port()),
                               .tap = {.pcap_file = file, .ring = true}})
          .port;
  for (int i = 0; i < 2; ++i) {
    TcpClient client(port);
    client.write("hello");
    EXPECT_EQ(client.read(5), "hello");
    client.socket().shutdown(tcp::socket::shutdown_send);
    EXPECT_EQ(client.wait_closed(), asio::error::eof);
  }
  ASSERT_TRUE(eventually([&] { return runner_.proxy().stats("tapped").connections_active == 0; }));
  runner_.proxy().flush_taps();
  const auto frames = read_pcap(file);
  // Per connection: SYN, SYN-ACK, ACK, data each way, FIN each way.
  ASSERT_EQ(frames.size(), 14u);
  EXPECT_EQ(tcp_flags_of(frames[0]), 0x02);
  EXPECT_EQ(tcp_flags_of(frames[1]), 0x12);
  EXPECT_EQ(tcp_flags_of(frames[2]), 0x10);
  EXPECT_EQ(tcp_payload(frames[3]), 5u);
  EXPECT_EQ(std::string(frames[3].bytes.end() - 5, frames[3].bytes.end()), "hello");
  // The reply acknowledges the request: its ack = request seq + 5.
  auto be32 = [](const Frame& f, size_t at) {
    return (uint32_t{f.bytes[at]} << 24) | (uint32_t{f.bytes[at + 1]} << 16) |
           (uint32_t{f.bytes[at + 2]} << 8) | f.bytes[at + 3];
  };
  EXPECT_EQ(be32(frames[4], 14 + 20 + 8), be32(frames[3], 14 + 20 + 4) + 5);

  const size_t kept =
      runner_.proxy().write_window("tapped", Micros{0}, clock_.now(), (dir_ / "w.pcap").string());
  EXPECT_EQ(kept, 14u);
  EXPECT_EQ(read_pcap((dir_ / "w.pcap").string()).size(), 14u);
  EXPECT_EQ(runner_.proxy().write_window("tapped", clock_.now() + 1s, clock_.now() + 2s,
                                         (dir_ / "empty.pcap").string()),
            0u);
}

TEST_F(PcapTapTest, UdpDatagramsAreWrittenBothWays) {
  UdpEchoServer server;
  const std::string file = (dir_ / "udp.pcap").string();
  const uint16_t port =
      runner_.proxy()
          .add_link(LinkConfig{.name = "rtp",
                               .upstream = "127.0.0.1:" + std::to_string(server.port()),
                               .protocol = Protocol::udp,
                               .tap = {.pcap_file = file}})
          .port;
  UdpClient client(port);
  for (int i = 0; i < 3; ++i) {
    client.send("rtp!");
    EXPECT_TRUE(client.receive().has_value());
  }
  runner_.proxy().flush_taps();
  const auto frames = read_pcap(file);
  ASSERT_EQ(frames.size(), 6u);
  EXPECT_EQ(frames[0].bytes[14 + 9], 17);  // IPv4 protocol: UDP
  EXPECT_EQ(frames[0].bytes.size(), 14u + 20 + 8 + 4);
}

// A session's RTP route is removed when the session ends, usually before the evidence around
// a finding is written: the removed link's ring must still answer.
TEST_F(PcapTapTest, ARemovedLinksRingStillAnswersForItsWindow) {
  UdpEchoServer server;
  auto& proxy = runner_.proxy();
  const auto add = [&](const std::string& name) {
    return proxy
        .add_link(LinkConfig{.name = name,
                             .upstream = "127.0.0.1:" + std::to_string(server.port()),
                             .protocol = Protocol::udp,
                             .tap = {.ring = true}})
        .port;
  };
  const Micros from = clock_.now();
  {
    UdpClient client(add("cam/rtp/1"));
    for (int i = 0; i < 4; ++i) {
      client.send("frame");
      ASSERT_TRUE(client.receive().has_value());
    }
  }
  add("cam/rtp/2");  // open, but nothing went through it
  add("other/rtp/1");
  proxy.remove_link("cam/rtp/1");

  EXPECT_EQ(proxy.tapped_links("cam/", from, clock_.now()),
            (std::vector<std::string>{"cam/rtp/1"}));
  EXPECT_TRUE(
      proxy.tapped_links("cam/", clock_.now() + Micros{1}, clock_.now() + Micros{2}).empty());
  const std::string file = (dir_ / "removed.pcap").string();
  EXPECT_EQ(proxy.write_window("cam/rtp/1", from, clock_.now(), file), 8u);
  EXPECT_EQ(read_pcap(file).size(), 8u);
}

TEST_F(PcapTapTest, RemovedRingsAreKeptWithinTheirByteBudgetOldestDroppedFirst) {
  ProxyThread runner(clock_, &events_, ProxyOptions{.retired_tap_bytes = 1000});
  UdpEchoServer server;
  auto& proxy = runner.proxy();
  const Micros from = clock_.now();
  for (const std::string name : {"a", "b"}) {
    UdpClient client(
        proxy
            .add_link(LinkConfig{.name = name,
                                 .upstream = "127.0.0.1:" + std::to_string(server.port()),
                                 .protocol = Protocol::udp,
                                 .tap = {.ring = true}})
            .port);
    // 2 x 3 frames of 14 + 20 + 8 + 100 bytes: about 850 bytes per link's ring.
    for (int i = 0; i < 3; ++i) {
      client.send(std::string(100, 'x'));
      ASSERT_TRUE(client.receive().has_value());
    }
    proxy.remove_link(name);
  }
  EXPECT_EQ(proxy.tapped_links("", from, clock_.now()), (std::vector<std::string>{"b"}));
  EXPECT_EQ(proxy.write_window("b", from, clock_.now(), (dir_ / "b.pcap").string()), 6u);
  EXPECT_THROW(proxy.write_window("a", from, clock_.now(), (dir_ / "a.pcap").string()), ProxyError);
}

TEST(RetiredTaps, ARemovedLinksRingIsDroppedAfterItsAge) {
  ManualClock clock(Micros{1'000'000});
  EventLog events;
  ProxyThread runner(clock, &events, ProxyOptions{.tap_ring_age = std::chrono::seconds(30)});
  UdpEchoServer server;
  auto& proxy = runner.proxy();
  const Micros from = clock.now();
  {
    UdpClient client(
        proxy
            .add_link(LinkConfig{.name = "route",
                                 .upstream = "127.0.0.1:" + std::to_string(server.port()),
                                 .protocol = Protocol::udp,
                                 .tap = {.ring = true}})
            .port);
    client.send("rtp");
    ASSERT_TRUE(client.receive().has_value());
  }
  proxy.remove_link("route");
  clock.advance(std::chrono::seconds(29));
  EXPECT_EQ(proxy.tapped_links("", from, clock.now()), (std::vector<std::string>{"route"}));
  clock.advance(std::chrono::seconds(2));  // 31 s after the removal
  EXPECT_TRUE(proxy.tapped_links("", from, clock.now()).empty());
  EXPECT_THROW(proxy.write_window("route", from, clock.now(), "/nonexistent/never-written.pcap"),
               ProxyError);
}

}  // namespace
}  // namespace camleak::proxy
