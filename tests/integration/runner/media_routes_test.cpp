// The RTSP side of media routes: which way an RTSP session's route runs (a hub's play session
// against its link, a camera's record session with it), on real UDP links on loopback. What a
// route does once open is proxy::SessionRoutes' (tests/integration/proxy/session_routes_test).
#include "harness/runner/media_routes.hpp"

#include <gtest/gtest.h>

#include "harness/proxy/proxy_thread.hpp"
#include "harness/proxy/session_routes.hpp"

namespace camleak::runner {
namespace {

using boost::asio::ip::udp;
using impair::Direction;
using impair::StageSpec;
using rtsp::TransportMode;

StageSpec loss_toward_the_device() {
  return StageSpec{.name = "loss_media",
                   .type = "loss",
                   .direction = Direction::downstream,
                   .attributes = {{"probability", int64_t{100}}}};
}

udp::endpoint loopback(uint16_t port) {
  return {boost::asio::ip::make_address("127.0.0.1"), port};
}

class MediaRouterTest : public ::testing::Test {
 protected:
  MediaRouterTest()
      : thread_(clock_, &events_),
        routes_(std::make_shared<proxy::SessionRoutes>(thread_.proxy())) {
    routes_->add_parent("live:hub-1", {loss_toward_the_device()});
    routes_->add_parent("uplink:cam-1", {loss_toward_the_device()});
  }
  ~MediaRouterTest() override {
    if (routes_) routes_->close();
  }
  // The direction, in the proxy's terms, of the route link's media stage.
  Direction placed(const std::string& link) {
    return thread_.proxy().link(link).stages.at(0).direction;
  }

  SteadyClock clock_;
  EventLog events_;
  proxy::ProxyThread thread_;
  std::shared_ptr<proxy::SessionRoutes> routes_;
};

TEST_F(MediaRouterTest, APlaySessionsRouteRunsAgainstItsDeviceLink) {
  auto route =
      media_router(routes_, "live:hub-1")(TransportMode::play, loopback(5000), loopback(5001));
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(placed("live:hub-1/rtp/1"), Direction::upstream);
  EXPECT_EQ(placed("live:hub-1/rtcp/1"), Direction::upstream);
  route.reset();  // the session lets go
  EXPECT_EQ(routes_->routes_open(), 0u);
}

TEST_F(MediaRouterTest, ARecordSessionsRouteRunsWithItsDeviceLink) {
  auto route =
      media_router(routes_, "uplink:cam-1")(TransportMode::record, loopback(5000), loopback(5001));
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(placed("uplink:cam-1/rtp/1"), Direction::downstream);
  EXPECT_EQ(placed("uplink:cam-1/rtcp/1"), Direction::downstream);
}

TEST_F(MediaRouterTest, SessionsGoDirectForUnknownLinksAndOnceTheRoutesAreGone) {
  EXPECT_FALSE(
      media_router(routes_, "live:nobody")(TransportMode::play, loopback(5000), loopback(5001)));
  const rtsp::UdpRouter router = media_router(routes_, "live:hub-1");
  const std::weak_ptr<proxy::SessionRoutes> routes = routes_;
  routes_.reset();
  EXPECT_TRUE(routes.expired()) << "the router keeps the routes alive";
  EXPECT_FALSE(router(TransportMode::play, loopback(5000), loopback(5001)));
}

}  // namespace
}  // namespace camleak::runner
