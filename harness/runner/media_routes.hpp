#pragma once
// RTP over UDP through the proxy. A device that sends or receives its media over UDP has its
// RTSP connection on its TCP link (`live:hub-2`), but the RTP ports are only known once a
// session is negotiated. So each session asks for a route (rtsp::UdpRouter): two UDP links
// (RTP and RTCP, named `live:hub-2/rtp/N`, `live:hub-2/rtcp/N`) that forward to the session's
// real ports and live as long as the session.
//
// The datagram stages of the device's link (the scenario's UDP impairments: loss, delay,
// reorder, ...) are kept here per parent link and applied to each route when it opens and to
// every open route when the timeline changes them, so a `set` at 10 s also hits a session
// opened at 12 s. Stream (TCP) stages stay on the parent link, acting on the RTSP connection.
//
// A storm's drop needs nothing here: cutting the device's RTSP connection ends its sessions,
// and with them their routes; the redial opens new ones.
//
// With pcap evidence on, each route keeps a tap ring like its parent link; the proxy keeps a
// removed route's ring for its ring age, so evidence written after the session ended still
// has the media.
//
// Directions: a stage's direction is the media's (downstream = toward the device). A play
// route receives from the SUT on its listening side and forwards to the hub, the reverse of the
// hub's TCP link, so its stages' directions are flipped; a record route runs like the camera's
// TCP link (camera on the listening side).
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "emulators/rtsp/rtsp_client.hpp"
#include "harness/core/event_log.hpp"
#include "harness/impair/chain.hpp"

namespace camleak::proxy {
class Proxy;
}

namespace camleak::runner {

class MediaRoutes : public std::enable_shared_from_this<MediaRoutes> {
 public:
  // `tap`: each route keeps a tap ring, as the device links do, for pcap evidence.
  explicit MediaRoutes(proxy::Proxy& proxy, bool tap = false) : proxy_(proxy), tap_(tap) {}

  // Registers `parent` (a device link whose media goes over UDP) with its baseline datagram
  // stages.
  void add_parent(const std::string& parent, const std::vector<impair::StageSpec>& stages);
  bool has_parent(const std::string& parent) const;

  // A router for the sessions of `parent`'s device (see rtsp::UdpRouter).
  rtsp::UdpRouter router(const std::string& parent);

  // The timeline's stage operations, mirrored onto every open route of `parent`. A stage of the
  // same name is replaced.
  void set_stage(const std::string& parent, const impair::StageSpec& spec);
  // False when `parent` holds no datagram stage of that name.
  bool remove_stage(const std::string& parent, const std::string& name);
  std::vector<impair::StageSpec> stages(const std::string& parent) const;
  size_t routes_opened(const std::string& parent) const;
  size_t routes_open() const;
  // `live:hub-2/rtp/7` -> `live:hub-2/rtp`: the family a route's fault events are counted under.
  static std::string family(const std::string& link);
  // A route's fault event as the scenario sees it: the link's family, and the media's direction
  // (a play route's proxy "upstream" is toward the hub: "downstream"). Other events unchanged.
  void relabel(FaultEvent& event) const;

  // Closes every route; later route requests go direct and releases do nothing. Call before the
  // proxy goes away.
  void close();

 private:
  struct Parent {
    std::vector<impair::StageSpec> stages;  // by media direction
    size_t opened = 0;
    std::map<std::string, bool> routes;  // open route link -> flipped (a play route)
    bool plays = false;                  // has opened play routes
  };

  std::optional<rtsp::UdpRoute> open(const std::string& parent, rtsp::TransportMode mode,
                                     const boost::asio::ip::udp::endpoint& rtp,
                                     const boost::asio::ip::udp::endpoint& rtcp);
  void release(const std::string& parent, const std::vector<std::string>& links);
  static impair::StageSpec placed(impair::StageSpec spec, bool flipped);

  proxy::Proxy& proxy_;
  bool tap_;
  // Held while calling the proxy too, so close() waits for calls in flight.
  mutable std::mutex mutex_;
  bool closed_ = false;
  std::map<std::string, Parent> parents_;
};

}  // namespace camleak::runner
