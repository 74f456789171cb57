#pragma once
// UDP links opened per media session, grouped under the link that carries the session's
// control connection. A device that sends or receives its media over UDP has its control
// connection on its TCP link (`live:hub-2`), but the media ports are only known once a session
// is negotiated. So each session asks for a route: two UDP links (RTP and RTCP, named
// `live:hub-2/rtp/N`, `live:hub-2/rtcp/N`) that forward to the session's real ports and live as
// long as the session holds the route's keep-alive handle.
//
// The datagram stages of the parent link (the scenario's UDP impairments: loss, delay,
// reorder, ...) are kept here per parent and applied to each route when it opens and to every
// open route when the timeline changes them, so a `set` at 10 s also hits a session opened at
// 12 s. Stream (TCP) stages stay on the parent link, acting on the control connection.
//
// A storm's drop needs nothing here: cutting the device's control connection ends its
// sessions, and with them their routes; the redial opens new ones.
//
// With pcap evidence on, each route keeps a tap ring like its parent link; the proxy keeps a
// removed route's ring for its ring age, so evidence written after the session ended still
// has the media.
//
// Directions: a stage's direction is the parent link's (upstream = from the device on the
// parent's listening side toward the SUT, downstream = toward the device). A route that listens
// where its parent does (a camera sends its media into it, as it connects to its TCP link) runs
// the same way. A route that listens at the far end (the SUT sends a hub's media into it, and it
// forwards to the hub) runs the reverse way, so its stages' directions are flipped, and so are
// its fault events' when they are relabelled.
#include <boost/asio/ip/udp.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/event_log.hpp"
#include "harness/impair/chain.hpp"

namespace camleak::proxy {

class Proxy;

// Which way a route forwards, relative to its parent link (see "Directions" above).
enum class RouteOrientation {
  as_parent,  // the route listens where the parent link listens: the device sends into it
  reversed,   // the route listens at the parent's far end: the device receives from it
};

// Where a session sends its media instead of its peer's ports. The route's links go away when
// the last copy of `keep` does.
struct SessionRoute {
  boost::asio::ip::udp::endpoint rtp;
  boost::asio::ip::udp::endpoint rtcp;
  std::shared_ptr<void> keep;
};

class SessionRoutes : public std::enable_shared_from_this<SessionRoutes> {
 public:
  // `tap`: each route keeps a tap ring, as the device links do, for pcap evidence.
  explicit SessionRoutes(Proxy& proxy, bool tap = false) : proxy_(proxy), tap_(tap) {}

  // Registers `parent` (a device link whose media goes over UDP) with its baseline datagram
  // stages.
  void add_parent(const std::string& parent, const std::vector<impair::StageSpec>& stages);
  bool has_parent(const std::string& parent) const;

  // Opens a route for a session of `parent` that forwards to `rtp_target` and `rtcp_target`.
  // None for an unknown parent or after close(): the session then goes direct. Throws what
  // Proxy::add_link throws, leaving neither of the route's links behind.
  std::optional<SessionRoute> open(const std::string& parent, RouteOrientation orientation,
                                   const boost::asio::ip::udp::endpoint& rtp_target,
                                   const boost::asio::ip::udp::endpoint& rtcp_target);

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
  // A route's fault event as the scenario sees it: the link's family, and the parent's
  // direction (a reversed route's "upstream" is the parent's "downstream"). Other events
  // unchanged.
  void relabel(FaultEvent& event) const;

  // Closes every route; later opens answer none and releases do nothing. Call before the proxy
  // goes away.
  void close();

 private:
  struct Parent {
    std::vector<impair::StageSpec> stages;  // in the parent's directions
    size_t opened = 0;
    std::map<std::string, bool> routes;  // open route link -> flipped (a reversed route)
    bool reverses = false;               // has opened reversed routes
  };

  void release(const std::string& parent, const std::vector<std::string>& links);
  static impair::StageSpec placed(impair::StageSpec spec, bool flipped);

  Proxy& proxy_;
  bool tap_;
  // Held while calling the proxy too, so close() waits for calls in flight.
  mutable std::mutex mutex_;
  bool closed_ = false;
  std::map<std::string, Parent> parents_;
};

}  // namespace camleak::proxy
