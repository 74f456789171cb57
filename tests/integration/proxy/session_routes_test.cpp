// Media routes through the proxy: routes opened per session on real UDP links on loopback, with
// the device link's datagram stages placed by the route's orientation and following the
// timeline. A hub's play session is a reversed route (the SUT sends into it), a camera's record
// session one as its parent (the camera sends into it).
#include "harness/proxy/session_routes.hpp"

#include <gtest/gtest.h>

#include "harness/proxy/proxy_thread.hpp"
#include "tests/integration/proxy/loopback.hpp"

namespace camleak::proxy {
namespace {

using namespace testing;
using impair::Direction;
using impair::StageSpec;
using enum RouteOrientation;

StageSpec total_loss(Direction direction) {
  return StageSpec{.name = "loss_media",
                   .type = "loss",
                   .direction = direction,
                   .attributes = {{"probability", int64_t{100}}}};
}

udp::endpoint loopback(uint16_t port) {
  return {asio::ip::make_address("127.0.0.1"), port};
}

class SessionRoutesTest : public ::testing::Test {
 protected:
  SessionRoutesTest()
      : thread_(clock_, &events_), routes_(std::make_shared<SessionRoutes>(proxy())) {}
  ~SessionRoutesTest() override { routes_->close(); }
  Proxy& proxy() { return thread_.proxy(); }

  // Datagrams the link's loss stage dropped so far.
  uint64_t dropped(const std::string& link) {
    for (const auto& s : proxy().stats(link).stages) {
      if (s.type == "loss" && s.counters.contains("dropped")) return s.counters.at("dropped");
    }
    return 0;
  }
  // Sends `n` datagrams into a route's RTP side and waits until the proxy read them all.
  void send_through(const std::string& link, UdpClient& client, int n) {
    const uint64_t before = proxy().stats(link).upstream.bytes_in;
    for (int i = 0; i < n; ++i) client.send("x");
    ASSERT_TRUE(eventually([&] { return proxy().stats(link).upstream.bytes_in == before + n; }));
  }

  SteadyClock clock_;
  EventLog events_;
  ProxyThread thread_;
  std::shared_ptr<SessionRoutes> routes_;
};

TEST_F(SessionRoutesTest, RouteForwardsToTheSessionPortsAndEndsWithTheSession) {
  UdpEchoServer rtp, rtcp;
  routes_->add_parent("live:hub-1", {});
  auto route = routes_->open("live:hub-1", reversed, loopback(rtp.port()), loopback(rtcp.port()));
  ASSERT_TRUE(route.has_value());
  EXPECT_NE(route->rtp.port(), rtp.port());
  UdpClient sut(route->rtp.port());
  sut.send("rtp");
  EXPECT_EQ(sut.receive().value_or("<none>"), "rtp");
  UdpClient sut_rtcp(route->rtcp.port());
  sut_rtcp.send("rtcp");
  EXPECT_EQ(sut_rtcp.receive().value_or("<none>"), "rtcp");
  EXPECT_EQ(rtcp.received(), 1u);
  EXPECT_EQ(proxy().links().size(), 2u);
  EXPECT_EQ(routes_->routes_open(), 2u);

  route.reset();  // the session lets go
  EXPECT_EQ(routes_->routes_open(), 0u);
  EXPECT_TRUE(proxy().links().empty());
  EXPECT_EQ(routes_->routes_opened("live:hub-1"), 1u);
}

TEST_F(SessionRoutesTest, AStageTowardTheDeviceDropsWhatTheSutSendsToAHub) {
  UdpEchoServer hub_rtp, hub_rtcp;
  routes_->add_parent("live:hub-1", {total_loss(Direction::downstream)});
  auto route =
      routes_->open("live:hub-1", reversed, loopback(hub_rtp.port()), loopback(hub_rtcp.port()));
  ASSERT_TRUE(route.has_value());
  UdpClient sut(route->rtp.port());
  send_through("live:hub-1/rtp/1", sut, 10);
  EXPECT_TRUE(eventually([&] { return dropped("live:hub-1/rtp/1") == 10; }));
  EXPECT_EQ(hub_rtp.received(), 0u);
}

TEST_F(SessionRoutesTest, AStageTowardTheSutDropsWhatACameraSends) {
  UdpEchoServer relay_rtp, relay_rtcp;
  routes_->add_parent("uplink:cam-1", {total_loss(Direction::upstream)});
  auto route = routes_->open("uplink:cam-1", as_parent, loopback(relay_rtp.port()),
                             loopback(relay_rtcp.port()));
  ASSERT_TRUE(route.has_value());
  UdpClient camera(route->rtp.port());
  send_through("uplink:cam-1/rtp/1", camera, 10);
  EXPECT_TRUE(eventually([&] { return dropped("uplink:cam-1/rtp/1") == 10; }));
  EXPECT_EQ(relay_rtp.received(), 0u);

  // The same stage on the way back (toward the camera) leaves the camera's media alone.
  routes_->set_stage("uplink:cam-1", total_loss(Direction::downstream));
  camera.send("x");
  EXPECT_TRUE(eventually([&] { return relay_rtp.received() == 1; }));
}

TEST_F(SessionRoutesTest, TimelineChangesReachOpenRoutesAndRoutesOpenedLater) {
  UdpEchoServer a_rtp, a_rtcp, b_rtp, b_rtcp;
  routes_->add_parent("live:hub-1", {});
  auto a = routes_->open("live:hub-1", reversed, loopback(a_rtp.port()), loopback(a_rtcp.port()));
  ASSERT_TRUE(a.has_value());
  UdpClient to_a(a->rtp.port());
  to_a.send("before");
  EXPECT_EQ(to_a.receive().value_or("<none>"), "before");

  routes_->set_stage("live:hub-1", total_loss(Direction::downstream));
  send_through("live:hub-1/rtp/1", to_a, 5);
  EXPECT_TRUE(eventually([&] { return dropped("live:hub-1/rtp/1") == 5; }));

  auto b = routes_->open("live:hub-1", reversed, loopback(b_rtp.port()), loopback(b_rtcp.port()));
  ASSERT_TRUE(b.has_value());
  UdpClient to_b(b->rtp.port());
  send_through("live:hub-1/rtp/2", to_b, 5);
  EXPECT_TRUE(eventually([&] { return dropped("live:hub-1/rtp/2") == 5; }));
  EXPECT_EQ(b_rtp.received(), 0u);

  EXPECT_TRUE(routes_->remove_stage("live:hub-1", "loss_media"));
  EXPECT_FALSE(routes_->remove_stage("live:hub-1", "loss_media"));
  to_a.send("after");
  EXPECT_EQ(to_a.receive().value_or("<none>"), "after");
  EXPECT_TRUE(routes_->stages("live:hub-1").empty());
}

TEST_F(SessionRoutesTest, UnknownParentsAndClosedRoutesGoDirect) {
  UdpEchoServer rtp, rtcp;
  EXPECT_FALSE(routes_->open("live:nobody", reversed, loopback(rtp.port()), loopback(rtcp.port())));
  routes_->add_parent("live:hub-1", {});
  auto route = routes_->open("live:hub-1", reversed, loopback(rtp.port()), loopback(rtcp.port()));
  ASSERT_TRUE(route.has_value());
  routes_->close();
  EXPECT_TRUE(proxy().links().empty());
  EXPECT_FALSE(routes_->open("live:hub-1", reversed, loopback(rtp.port()), loopback(rtcp.port())));
  route.reset();  // a release after close() is a no-op
}

TEST_F(SessionRoutesTest, FaultEventsAreReportedInTheMediaDirection) {
  UdpEchoServer rtp, rtcp;
  routes_->add_parent("live:hub-1", {});
  routes_->add_parent("uplink:cam-1", {});
  auto play = routes_->open("live:hub-1", reversed, loopback(rtp.port()), loopback(rtcp.port()));
  auto record =
      routes_->open("uplink:cam-1", as_parent, loopback(rtp.port()), loopback(rtcp.port()));
  FaultEvent hub{.link = "live:hub-1/rtp/1", .direction = "upstream"};
  routes_->relabel(hub);
  EXPECT_EQ(hub.link, "live:hub-1/rtp");
  EXPECT_EQ(hub.direction, "downstream");
  FaultEvent camera{.link = "uplink:cam-1/rtcp/1", .direction = "upstream"};
  routes_->relabel(camera);
  EXPECT_EQ(camera.link, "uplink:cam-1/rtcp");
  EXPECT_EQ(camera.direction, "upstream");
  FaultEvent rtsp{.link = "live:hub-1", .direction = "downstream"};
  routes_->relabel(rtsp);
  EXPECT_EQ(rtsp.link, "live:hub-1");
  EXPECT_EQ(rtsp.direction, "downstream");
}

TEST(SessionRoutesFamily, RoutesAreCountedUnderTheirDeviceLink) {
  EXPECT_EQ(SessionRoutes::family("live:hub-2/rtp/7"), "live:hub-2/rtp");
  EXPECT_EQ(SessionRoutes::family("uplink:cam-1/rtcp/12"), "uplink:cam-1/rtcp");
  EXPECT_EQ(SessionRoutes::family("live:hub-2"), "live:hub-2");
}

}  // namespace
}  // namespace camleak::proxy
