#pragma once
// One link: its configuration, stages, counters, tap and live sessions (TCP connections or
// UDP flows). TcpLink and UdpLink add the listening side. Everything here runs on the proxy's
// io_context thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/event_log.hpp"
#include "harness/impair/chain.hpp"
#include "harness/impair/registry.hpp"
#include "harness/proxy/link_config.hpp"
#include "harness/proxy/link_stats.hpp"
#include "harness/proxy/link_tap.hpp"
#include "harness/proxy/proxy_options.hpp"
#include "harness/proxy/wakeups.hpp"

namespace camleak::proxy {

// What every link and session needs from the proxy.
struct ProxyShared {
  ProxyShared(boost::asio::io_context& io_context, const Clock& proxy_clock, EventLog* event_log,
              const impair::Registry& stage_registry, ProxyOptions proxy_options);

  boost::asio::io_context& io;
  const Clock& clock;
  EventLog* events;
  const impair::Registry& registry;
  ProxyOptions options;
  // The read buffer every session reads into: the proxy runs on one thread, and data is only
  // copied out of it when a stage must hold it or the receiver is slower than the sender.
  std::vector<uint8_t> scratch;
  std::chrono::system_clock::time_point wall_at_zero;
  // Every session's chain wake-ups.
  Wakeups wakeups;

  void event(const std::string& link, uint64_t connection, std::string_view direction,
             std::string_view action, uint64_t bytes = 0) const;
};

// One TCP connection or UDP flow with a chain per direction.
class Session {
 public:
  virtual ~Session() = default;
  virtual uint64_t index() const = 0;
  virtual void add_stage(const impair::StageSpec& spec, Micros now) = 0;
  virtual void remove_stage(std::string_view name, Micros now) = 0;
  virtual void reconfigure_stage(const impair::StageSpec& spec, Micros now) = 0;
  virtual void reset() = 0;  // RST toward both sides (UDP: forget the flow)
  virtual void close() = 0;  // orderly close of both sides (link disabled or removed)
  // Adds this session's per-stage counters, keyed by "name/direction".
  virtual void collect(std::map<std::string, StageStats>& into) const = 0;
};

class Link : public std::enable_shared_from_this<Link> {
 public:
  Link(std::shared_ptr<ProxyShared> proxy, LinkConfig config,
       std::vector<impair::StageSpec> stages);
  virtual ~Link() = default;

  // Binds and starts serving. Throws ProxyError(listen_failed) when the address is unusable.
  virtual void start() = 0;
  // Stops accepting and closes every session (Toxiproxy's disable).
  virtual void stop() = 0;
  virtual bool running() const = 0;
  virtual uint16_t bound_port() const = 0;

  const LinkConfig& config() const { return config_; }
  const std::vector<impair::StageSpec>& stages() const { return stages_; }
  LinkInfo info() const;
  LinkStats stats() const;
  LinkTap* tap() { return tap_.get(); }
  // Shared so that the proxy can keep a removed link's ring (and sessions still finishing can
  // keep writing to it).
  std::shared_ptr<LinkTap> shared_tap() const { return tap_; }

  // Stage changes apply to every current session and to every later one.
  void add_stage(const impair::StageSpec& spec);
  void update_stage(const impair::StageSpec& spec);  // same name, new settings
  void remove_stage(std::string_view name);
  void remove_all_stages();
  // Resets the sessions with these indices, or all of them. Returns how many were reset.
  size_t reset_sessions(const std::optional<std::vector<uint64_t>>& indices);
  size_t session_count() const { return sessions_.size(); }

  // For sessions.
  ProxyShared& proxy() { return *proxy_; }
  LinkStats& counters() { return counters_; }
  impair::Chain make_chain(uint64_t session, impair::Direction direction, Micros now,
                           size_t& stages_added) const;
  void retire(Session& session);  // the session ended: keep its counters, forget it
  uint64_t next_session_index() { return next_index_++; }
  void adopt(std::shared_ptr<Session> session);
  void set_listen(std::string listen) { config_.listen = std::move(listen); }
  void set_upstream(std::string upstream) { config_.upstream = std::move(upstream); }

 protected:
  void close_all_sessions();
  std::vector<std::shared_ptr<Session>> live_sessions() const;

  std::shared_ptr<ProxyShared> proxy_;
  LinkConfig config_;
  std::vector<impair::StageSpec> stages_;
  Micros epoch_;
  LinkStats counters_;
  std::map<std::string, StageStats> retired_;
  std::shared_ptr<LinkTap> tap_;
  std::map<uint64_t, std::shared_ptr<Session>> sessions_;
  uint64_t next_index_ = 0;
};

}  // namespace camleak::proxy
