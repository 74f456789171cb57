// The proxy's UDP links on loopback: pass-through, and the datagram stages observed from the
// client and the echo server.
#include <gtest/gtest.h>

#include <algorithm>

#include "harness/proxy/proxy_thread.hpp"
#include "tests/integration/proxy/loopback.hpp"

namespace camleak::proxy {
namespace {

using namespace testing;
using impair::Direction;
using impair::StageSpec;

class UdpProxyTest : public ::testing::Test {
 protected:
  UdpProxyTest() : runner_(clock_, &events_) {}
  Proxy& proxy() { return runner_.proxy(); }
  uint16_t link(const std::string& name, uint16_t upstream, std::vector<StageSpec> stages = {}) {
    return proxy()
        .add_link(LinkConfig{.name = name,
                             .upstream = "127.0.0.1:" + std::to_string(upstream),
                             .protocol = Protocol::udp},
                  std::move(stages))
        .port;
  }
  static StageSpec stage(std::string type, Direction d, impair::Attributes a) {
    return StageSpec{.name = "", .type = std::move(type), .direction = d, .attributes = a};
  }

  SteadyClock clock_;
  EventLog events_;
  ProxyThread runner_;
};

TEST_F(UdpProxyTest, PassThroughEchoesDatagrams) {
  UdpEchoServer server;
  UdpClient client(link("rtp", server.port()));
  for (int i = 0; i < 20; ++i) {
    const std::string d = "datagram " + std::to_string(i);
    client.send(d);
    EXPECT_EQ(client.receive().value_or("<none>"), d);
  }
  const auto stats = proxy().stats("rtp");
  EXPECT_EQ(stats.connections_total, 1u);  // one flow for one client endpoint
  EXPECT_EQ(stats.upstream.packets_out, 20u);
  EXPECT_EQ(stats.downstream.packets_out, 20u);
}

TEST_F(UdpProxyTest, EachClientEndpointIsItsOwnFlow) {
  UdpEchoServer server;
  const uint16_t port = link("flows", server.port());
  UdpClient a(port), b(port);
  a.send("a");
  b.send("b");
  EXPECT_EQ(a.receive().value_or(""), "a");
  EXPECT_EQ(b.receive().value_or(""), "b");
  EXPECT_EQ(proxy().stats("flows").connections_total, 2u);
}

TEST_F(UdpProxyTest, LossDropsAndCounts) {
  UdpEchoServer server;
  UdpClient client(link("lossy", server.port(),
                        {stage("loss", Direction::upstream, {{"probability", int64_t{100}}})}));
  for (int i = 0; i < 10; ++i) client.send("x");
  // Every datagram was read by the proxy and dropped by the stage.
  ASSERT_TRUE(eventually([&] {
    const auto stats = proxy().stats("lossy");
    for (const auto& s : stats.stages) {
      if (s.type == "loss" && s.counters.contains("dropped")) return s.counters.at("dropped") == 10;
    }
    return false;
  }));
  EXPECT_EQ(server.received(), 0u);
  EXPECT_EQ(proxy().stats("lossy").upstream.bytes_in, 10u);
}

TEST_F(UdpProxyTest, DuplicateSendsTwice) {
  UdpEchoServer server;
  UdpClient client(
      link("dup", server.port(),
           {stage("duplicate", Direction::upstream, {{"probability", int64_t{100}}})}));
  for (int i = 0; i < 5; ++i) client.send("d" + std::to_string(i));
  ASSERT_TRUE(eventually([&] { return server.received() == 10; }));
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(client.receive().has_value());
}

TEST_F(UdpProxyTest, DelayHoldsDatagrams) {
  UdpEchoServer server;
  UdpClient client(link("late", server.port(),
                        {stage("delay", Direction::downstream, {{"delay", int64_t{100}}})}));
  const auto start = std::chrono::steady_clock::now();
  client.send("t");
  EXPECT_EQ(client.receive().value_or(""), "t");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_GE(proxy().stats("late").downstream.delay.max(), Micros{100'000});
}

TEST_F(UdpProxyTest, CorruptFlipsBitsButKeepsTheLength) {
  UdpEchoServer server;
  UdpClient client(link("noisy", server.port(),
                        {stage("corrupt", Direction::upstream, {{"probability", int64_t{100}}})}));
  const std::string sent(200, 'a');
  for (int i = 0; i < 20; ++i) {
    client.send(sent);
    const auto back = client.receive();
    ASSERT_TRUE(back.has_value());
    ASSERT_EQ(back->size(), sent.size());
    EXPECT_NE(*back, sent);
  }
}

TEST_F(UdpProxyTest, ReorderSendsSomeDatagramsAheadOfOthers) {
  UdpEchoServer server;
  // Every datagram but each 3rd is held 100 ms: the 3rd, 6th and 9th overtake the others.
  UdpClient client(
      link("shuffled", server.port(),
           {stage("reorder", Direction::upstream,
                  {{"probability", int64_t{100}}, {"gap", int64_t{3}}, {"delay", int64_t{100}}})}));
  std::vector<std::string> sent, received;
  for (int i = 1; i <= 9; ++i) {
    sent.push_back(std::to_string(i));
    client.send(sent.back());
  }
  for (int i = 0; i < 9; ++i) received.push_back(client.receive().value_or("<none>"));
  EXPECT_NE(received, sent);
  std::sort(received.begin(), received.end());
  EXPECT_EQ(received, sent);  // nothing lost, nothing added
}

TEST_F(UdpProxyTest, RateSpacesDatagramsOut) {
  UdpEchoServer server;
  // 80 kbit/s: ten 1000-byte datagrams need about 0.9 s after the first.
  UdpClient client(
      link("narrow", server.port(), {stage("rate", Direction::upstream, {{"rate", int64_t{80}}})}));
  for (int i = 0; i < 10; ++i) client.send(std::string(1000, 'r'));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(client.receive().has_value()) << i;
  EXPECT_GE(proxy().stats("narrow").upstream.delay.max(), Micros{800'000});
}

TEST_F(UdpProxyTest, StreamStagesAreRefusedOnUdpLinks) {
  UdpEchoServer server;
  link("typed", server.port());
  EXPECT_THROW(proxy().add_stage("typed", stage("latency", Direction::upstream, {})), ProxyError);
}

}  // namespace
}  // namespace camleak::proxy
