#pragma once
// RTP over UDP through the proxy: the RTSP client of a device whose media goes over UDP asks for
// a route once its session is negotiated (rtsp::UdpRouter), and proxy::SessionRoutes opens it
// under the device's link. What RTSP adds is which way the media flows: a play session's media
// comes from the SUT into the route's listening side and goes on to the hub, the reverse of the
// hub's TCP link; a record session's goes from the camera on the listening side to the SUT, as
// on the camera's TCP link.
#include <memory>
#include <string>

#include "emulators/rtsp/rtsp_client.hpp"

namespace camleak::proxy {
class SessionRoutes;
}

namespace camleak::runner {

// A router for the sessions of `parent`'s device. It does not keep `routes` alive: once they are
// gone, sessions go direct.
rtsp::UdpRouter media_router(const std::shared_ptr<proxy::SessionRoutes>& routes,
                             const std::string& parent);

}  // namespace camleak::runner
