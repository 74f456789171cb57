// The proxy's TCP links end to end on loopback: a real echo server behind a link, every
// stream stage observed from the client's side, and the proxy's own guarantees (bounded
// buffers, failing upstreams, disable/enable, resets).
#include <gtest/gtest.h>

#include "harness/proxy/proxy_thread.hpp"
#include "tests/integration/proxy/loopback.hpp"

namespace camleak::proxy {
namespace {

using namespace testing;
using impair::Direction;
using impair::StageSpec;

class TcpProxyTest : public ::testing::Test {
 protected:
  explicit TcpProxyTest(ProxyOptions options = {}) : runner_(clock_, &events_, options) {}
  Proxy& proxy() { return runner_.proxy(); }
  uint16_t link(const std::string& name, uint16_t upstream, std::vector<StageSpec> stages = {}) {
    return proxy()
        .add_link(LinkConfig{.name = name, .upstream = "127.0.0.1:" + std::to_string(upstream)},
                  std::move(stages))
        .port;
  }
  static StageSpec stage(std::string type, Direction d, impair::Attributes a) {
    return StageSpec{.name = "", .type = std::move(type), .direction = d, .attributes = a};
  }
  // How many closes the link's slow_close stage held back (its "close_delayed" actions).
  uint64_t close_delays(const std::string& name) {
    uint64_t n = 0;
    for (const auto& s : proxy().stats(name).stages) {
      if (s.type != "slow_close") continue;
      if (auto it = s.counters.find("close_delayed"); it != s.counters.end()) n += it->second;
    }
    return n;
  }
  static std::chrono::milliseconds since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 t);
  }

  SteadyClock clock_;
  EventLog events_;
  ProxyThread runner_;
};

std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

TEST_F(TcpProxyTest, PassThroughEchoesEveryByteAndCountsThem) {
  TcpServer server;
  const uint16_t port = link("echo", server.port());
  ASSERT_NE(port, 0);
  TcpClient client(port);
  const std::string data = pattern(3 << 20);
  std::thread writer([&] { client.write(data); });
  const std::string back = client.read(data.size(), 10000ms);
  writer.join();
  ASSERT_EQ(back.size(), data.size());
  EXPECT_TRUE(back == data);
  ASSERT_TRUE(
      eventually([&] { return proxy().stats("echo").downstream.bytes_out == data.size(); }));
  const auto stats = proxy().stats("echo");
  EXPECT_EQ(stats.upstream.bytes_in, data.size());
  EXPECT_EQ(stats.upstream.bytes_out, data.size());
  EXPECT_EQ(stats.connections_total, 1u);
  EXPECT_EQ(stats.connections_active, 1u);
  EXPECT_GT(stats.upstream.delay.count(), 0u);
}

TEST_F(TcpProxyTest, LatencyDelaysEachDirection) {
  TcpServer server;
  const uint16_t port = link("slow", server.port(),
                             {stage("latency", Direction::downstream, {{"latency", int64_t{150}}}),
                              stage("latency", Direction::upstream, {{"latency", int64_t{50}}})});
  TcpClient client(port);
  const auto start = std::chrono::steady_clock::now();
  client.write("ping");
  EXPECT_EQ(client.read(4), "ping");
  EXPECT_GE(since(start), 200ms);
  // The proxy records a delay once its write completes, which can be after the client
  // already read the bytes: wait for the record rather than racing it.
  ASSERT_TRUE(eventually([&] { return proxy().stats("slow").downstream.delay.count() > 0; }));
  const auto stats = proxy().stats("slow");
  EXPECT_GE(stats.downstream.delay.max(), Micros{150'000});
  bool counted = false;
  for (const auto& s : stats.stages) {
    if (s.name == "latency_downstream") counted = s.counters.at("delayed") == 1;
  }
  EXPECT_TRUE(counted);
}

TEST_F(TcpProxyTest, StagesAddedAndRemovedApplyToLiveConnections) {
  TcpServer server;
  const uint16_t port = link("live", server.port());
  TcpClient client(port);
  client.write("a");
  EXPECT_EQ(client.read(1), "a");
  proxy().add_stage("live", stage("latency", Direction::downstream, {{"latency", int64_t{200}}}));
  auto start = std::chrono::steady_clock::now();
  client.write("b");
  EXPECT_EQ(client.read(1), "b");
  EXPECT_GE(since(start), 200ms);
  proxy().remove_stage("live", "latency_downstream");
  client.write("c");
  EXPECT_EQ(client.read(1), "c");
}

TEST_F(TcpProxyTest, BandwidthLimitsThroughput) {
  TcpServer server;
  // 500 KB/s downstream: 200 KB take at least ~0.4 s (minus one burst).
  const uint16_t port = link("thin", server.port(),
                             {stage("bandwidth", Direction::downstream, {{"rate", int64_t{500}}})});
  TcpClient client(port);
  const std::string data = pattern(200'000);
  const auto start = std::chrono::steady_clock::now();
  std::thread writer([&] { client.write(data); });
  const auto back = client.read(data.size(), 10000ms);
  writer.join();
  EXPECT_EQ(back.size(), data.size());
  EXPECT_GE(since(start), 300ms);
}

TEST_F(TcpProxyTest, TimeoutStopsDataThenClosesTheConnection) {
  TcpServer server;
  const uint16_t port = link("stuck", server.port(),
                             {stage("timeout", Direction::upstream, {{"timeout", int64_t{100}}})});
  TcpClient client(port);
  client.write("lost");
  const auto start = std::chrono::steady_clock::now();
  const auto ec = client.wait_closed();
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_GE(since(start), 90ms);
  EXPECT_EQ(server.bytes_written(), 0u);  // nothing reached the server to echo
}

TEST_F(TcpProxyTest, SlowCloseHoldsTheCloseButNotTheData) {
  TcpServer server;
  const uint16_t port = link("lingering", server.port(),
                             {stage("slow_close", Direction::upstream, {{"delay", int64_t{200}}})});
  TcpClient client(port);
  client.write("data");
  EXPECT_EQ(client.read(4), "data");
  // Data passes at once: the stage held nothing back (judged by what it decided, not by a
  // round-trip time that a loaded machine can stretch past any bound).
  EXPECT_EQ(close_delays("lingering"), 0u);
  // The client's FIN reaches the echo server 200 ms late, so its close comes back late too.
  const auto shut = std::chrono::steady_clock::now();
  client.socket().shutdown(tcp::socket::shutdown_send);
  const auto ec = client.wait_closed();
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_GE(since(shut), 190ms);
  EXPECT_GE(close_delays("lingering"), 1u);  // and that late close was its doing
}

TEST_F(TcpProxyTest, ResetPeerSendsRst) {
  TcpServer server;
  const uint16_t port = link("rst", server.port(),
                             {stage("reset_peer", Direction::upstream, {{"timeout", int64_t{0}}})});
  TcpClient client(port);
  client.write("x");
  EXPECT_EQ(client.wait_closed(), asio::error::connection_reset);
  ASSERT_TRUE(eventually([&] { return proxy().stats("rst").connections_active == 0; }));
  EXPECT_EQ(proxy().stats("rst").resets, 1u);
}

TEST_F(TcpProxyTest, LimitDataClosesAfterTheLimit) {
  TcpServer server;
  const uint16_t port =
      link("capped", server.port(),
           {stage("limit_data", Direction::downstream, {{"bytes", int64_t{10}}})});
  TcpClient client(port);
  client.write(pattern(100));
  const auto got = client.read(100);
  EXPECT_EQ(got, pattern(100).substr(0, 10));
  EXPECT_TRUE(client.last_error() == asio::error::eof ||
              client.last_error() == asio::error::connection_reset)
      << client.last_error().message();
}

TEST_F(TcpProxyTest, DownRefusesNewConnectionsAtOnce) {
  TcpServer server;
  const uint16_t port = link("down", server.port(), {stage("down", Direction::downstream, {})});
  TcpClient client(port);
  const auto ec = client.wait_closed();
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
}

TEST_F(TcpProxyTest, SlicerKeepsTheStreamIntact) {
  TcpServer server;
  const uint16_t port =
      link("sliced", server.port(),
           {stage("slicer", Direction::downstream,
                  {{"average_size", int64_t{100}}, {"size_variation", int64_t{50}}})});
  TcpClient client(port);
  const std::string data = pattern(20'000);
  client.write(data);
  EXPECT_EQ(client.read(data.size()), data);
  uint64_t sliced = 0;
  for (const auto& s : proxy().stats("sliced").stages) {
    if (s.type == "slicer") sliced = s.counters.contains("sliced") ? s.counters.at("sliced") : 0;
  }
  EXPECT_GT(sliced, 0u);
  // Many small writes: one per slice.
  EXPECT_GT(proxy().stats("sliced").downstream.packets_out, 100u);
}

TEST_F(TcpProxyTest, DisableClosesConnectionsAndStopsAcceptingUntilEnabled) {
  TcpServer server;
  const uint16_t port = link("toggle", server.port());
  TcpClient client(port);
  client.write("1");
  EXPECT_EQ(client.read(1), "1");
  proxy().set_enabled("toggle", false);
  const auto ec = client.wait_closed();
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_THROW(TcpClient{port}, boost::system::system_error);  // refused
  EXPECT_EQ(proxy().stats("toggle").closed_by_disable, 1u);
  const auto info = proxy().set_enabled("toggle", true);
  EXPECT_EQ(info.port, port);  // same address again
  TcpClient again(port);
  again.write("2");
  EXPECT_EQ(again.read(1), "2");
}

TEST_F(TcpProxyTest, UpstreamRefusingIsCountedAndOtherLinksKeepServing) {
  TcpServer server;
  const uint16_t bad = link("nowhere", unused_tcp_port());
  const uint16_t good = link("fine", server.port());
  TcpClient refused(bad);
  const auto ec = refused.wait_closed();
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  ASSERT_TRUE(eventually([&] { return proxy().stats("nowhere").upstream_failures == 1; }));
  EXPECT_EQ(proxy().stats("nowhere").connections_active, 0u);
  TcpClient client(good);
  client.write("ok");
  EXPECT_EQ(client.read(2), "ok");
}

TEST_F(TcpProxyTest, ResetConnectionsBySelectedIndex) {
  TcpServer server;
  const uint16_t port = link("storm", server.port());
  TcpClient first(port), second(port);
  first.write("1");
  second.write("2");
  EXPECT_EQ(first.read(1), "1");
  EXPECT_EQ(second.read(1), "2");
  EXPECT_EQ(proxy().reset_connections("storm", std::vector<uint64_t>{1}), 1u);
  EXPECT_EQ(second.wait_closed(), asio::error::connection_reset);
  first.write("3");
  EXPECT_EQ(first.read(1), "3");
  EXPECT_EQ(proxy().reset_connections("storm"), 1u);
  EXPECT_EQ(first.wait_closed(), asio::error::connection_reset);
}

TEST_F(TcpProxyTest, FaultDecisionsAreLogged) {
  TcpServer server;
  const uint16_t port = link("logged", server.port(),
                             {stage("limit_data", Direction::downstream, {{"bytes", int64_t{2}}})});
  TcpClient client(port);
  client.write("abc");
  EXPECT_EQ(client.read(3), "ab");  // then the stage closed the client's side
  EXPECT_EQ(client.last_error(), asio::error::eof);
  client.socket().shutdown(tcp::socket::shutdown_send);
  ASSERT_TRUE(eventually([&] { return proxy().stats("logged").connections_active == 0; }));
  bool closed_by_stage = false;
  for (const auto& e : events_.snapshot()) {
    closed_by_stage =
        closed_by_stage || (e.link == "logged" && e.stage == "limit_data_downstream" &&
                            e.action == "close" && e.direction == "downstream");
  }
  EXPECT_TRUE(closed_by_stage);
}

// Many small chunks through a delayed direction toward a client that reads slowly: writes
// complete while wake-ups come due, and every byte must arrive once and in order. With a small
// direction limit the pipe also keeps pausing and resuming its reads.
class SlowReaderTest : public TcpProxyTest,
                       public ::testing::WithParamInterface<size_t /*direction limit*/> {
 protected:
  SlowReaderTest() : TcpProxyTest(ProxyOptions{.direction_buffer_limit = GetParam()}) {}
};

TEST_P(SlowReaderTest, DelayedDirectionKeepsEveryByteInOrder) {
  constexpr uint64_t kTotal = 128 << 10;
  PatternServer server(kTotal, 100);
  const uint16_t port = link(
      "slow-reader", server.port(),
      {stage("latency", Direction::downstream, {{"latency", int64_t{2}}, {"jitter", int64_t{1}}})});
  TcpClient client(port);
  client.socket().set_option(asio::socket_base::receive_buffer_size(4096));
  uint64_t offset = 0;
  while (offset < kTotal) {
    const std::string got = client.read(1024);
    for (size_t k = 0; k < got.size(); ++k) {
      ASSERT_EQ(static_cast<uint8_t>(got[k]), pattern_byte(offset + k)) << "at byte " << offset + k;
    }
    offset += got.size();
    if (got.size() < 1024) break;  // the connection ended or the deadline passed
  }
  EXPECT_EQ(offset, kTotal) << client.last_error().message();
}

INSTANTIATE_TEST_SUITE_P(DirectionLimits, SlowReaderTest,
                         ::testing::Values(size_t{1} << 20, size_t{8} << 10),
                         [](const auto& info) { return "limit_" + std::to_string(info.param); });

// A client that never reads: the proxy stops reading from the upstream once the direction
// holds its limit, so its memory stays bounded while the server is blocked.
class BoundedBufferTest : public TcpProxyTest,
                          public ::testing::WithParamInterface<bool /*with a stage*/> {
 protected:
  BoundedBufferTest() : TcpProxyTest(ProxyOptions{.direction_buffer_limit = 256 * 1024}) {}
};

TEST_P(BoundedBufferTest, NeverReadingClientStaysBounded) {
  TcpServer flood(TcpServer::Mode::flood);
  std::vector<StageSpec> stages;
  if (GetParam())
    stages.push_back(stage("latency", Direction::downstream, {{"latency", int64_t{1}}}));
  const uint16_t port = link("flood", flood.port(), stages);
  TcpClient client(port);
  client.socket().set_option(asio::socket_base::receive_buffer_size(64 * 1024));
  // Wait until the flood is blocked: the server's writes made no progress for 300 ms.
  uint64_t last = 0;
  auto changed = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually(
      [&] {
        const auto now = flood.bytes_written();
        const auto held = proxy().stats("flood").downstream;
        EXPECT_LE(held.bytes_in - held.bytes_out, 256u * 1024 + 256 * 1024 + 65536);
        if (now != last || now == 0) {
          last = now;
          changed = std::chrono::steady_clock::now();
        }
        return since(changed) > 300ms;
      },
      10000ms));
  const auto held = proxy().stats("flood").downstream;
  EXPECT_LE(held.bytes_in - held.bytes_out, 256u * 1024 + 256 * 1024 + 65536);
  EXPECT_LT(flood.bytes_written(), 64u << 20);
}

INSTANTIATE_TEST_SUITE_P(FastAndChainPaths, BoundedBufferTest, ::testing::Bool());

}  // namespace
}  // namespace camleak::proxy
