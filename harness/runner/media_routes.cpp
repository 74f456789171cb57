#include "harness/runner/media_routes.hpp"

#include "harness/proxy/session_routes.hpp"

namespace camleak::runner {

rtsp::UdpRouter media_router(const std::shared_ptr<proxy::SessionRoutes>& routes,
                             const std::string& parent) {
  using boost::asio::ip::udp;
  std::weak_ptr<proxy::SessionRoutes> weak = routes;
  return [weak, parent](rtsp::TransportMode mode, const udp::endpoint& rtp,
                        const udp::endpoint& rtcp) -> std::optional<rtsp::UdpRoute> {
    const auto live = weak.lock();
    if (!live) return std::nullopt;
    const auto orientation = mode == rtsp::TransportMode::play ? proxy::RouteOrientation::reversed
                                                               : proxy::RouteOrientation::as_parent;
    auto route = live->open(parent, orientation, rtp, rtcp);
    if (!route) return std::nullopt;
    return rtsp::UdpRoute{.rtp = route->rtp, .rtcp = route->rtcp, .keep = std::move(route->keep)};
  };
}

}  // namespace camleak::runner
