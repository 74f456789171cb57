#pragma once
// The state one running relay shares between its connections: provisioning, channels, the
// session table, the defect mechanisms, counters. Lives from Relay::start() to stop(); every
// member is used only from the relay's strand, so nothing here locks.
#include <boost/asio/any_io_executor.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "emulators/relay/channel.hpp"
#include "emulators/relay/config.hpp"
#include "emulators/relay/counters.hpp"
#include "emulators/relay/group_commit.hpp"
#include "emulators/relay/mapping_cache.hpp"
#include "emulators/relay/provisioning.hpp"
#include "emulators/relay/session_table.hpp"
#include "emulators/relay/snapshot_service.hpp"
#include "emulators/relay/state_change.hpp"
#include "emulators/relay/state_file.hpp"
#include "emulators/relay/tickets.hpp"
#include "emulators/relay/viewer_slots.hpp"
#include "harness/core/clock.hpp"

namespace boost::asio::ssl {
class context;
}

namespace camleak::relay {

class RtspConnection;

class RelayCore {
 public:
  RelayCore(const RelayConfig& config, boost::asio::any_io_executor executor, const Clock& clock,
            RelayState state);
  ~RelayCore();

  const RelayConfig& config() const { return config_; }
  const boost::asio::any_io_executor& executor() const { return executor_; }
  Micros now() const { return clock_.now(); }
  // The RTSP port as bound (the cloud layout writes it into the stream URLs it issues).
  uint16_t rtsp_port() const { return rtsp_port_; }
  void set_rtsp_port(uint16_t port) { rtsp_port_ = port; }
  GopCacheLimits gop_limits() const {
    return GopCacheLimits{config_.limits.max_gop_frames, config_.limits.max_gop_bytes};
  }

  Provisioning provisioning;
  SessionTable sessions;
  ViewerSlots slots;
  MappingCache mapping;
  SnapshotService snapshots;
  TicketBook tickets;  // the cloud layout's stream grants (not persisted: a restart voids them)
  RelayCounters counters;
  // Cameras that published at least once in this process (reconnects take the mapping-cache
  // path, see mapping_cache.hpp).
  std::set<std::string> seen_cameras;
  std::map<uint64_t, std::shared_ptr<RtspConnection>> connections;
  size_t http_connections = 0;
  // config().tls loaded, shared by every port's connections; null: plain RTSP and HTTP.
  std::shared_ptr<boost::asio::ssl::context> tls;
  uint64_t next_connection_id = 1;

  // The channel of a camera, created on first use.
  Channel& channel(const std::string& camera);
  Channel* find_channel(const std::string& camera);

  bool connection_limit_reached() const {
    return connections.size() + http_connections >= config_.limits.max_connections;
  }

  // After a provisioning change applied in memory: re-authorize every viewer at once and
  // journal the change; `done` runs on the strand once it is durable (or could not be).
  void provisioning_changed(const StateChange& change, GroupCommit::Done done);
  void recheck_viewers();
  void sessions_changed() { sessions_dirty_ = true; }
  // Periodic: timeouts, re-authorization, debounced session persistence.
  void housekeeping();
  // Journals the sessions and writes every queued change now (no-op without a state file).
  // Throws HarnessError when they cannot be written.
  void persist();
  // Closes every connection (relay stop).
  void close_all();

  RelayState snapshot_state() const;
  boost::json::object stats_json() const;

 private:
  // Queues the resumable sessions to the journal (written with the next group commit).
  void journal_sessions();

  const RelayConfig& config_;
  boost::asio::any_io_executor executor_;
  const Clock& clock_;
  uint16_t rtsp_port_ = 0;
  std::unique_ptr<GroupCommit> commits_;
  std::map<std::string, std::unique_ptr<Channel>, std::less<>> channels_;
  bool sessions_dirty_ = false;
};

}  // namespace camleak::relay
