#include "emulators/relay/relay_core.hpp"

#include <boost/json.hpp>
#include <vector>

#include "emulators/relay/rtsp_connection.hpp"
#include "harness/core/errors.hpp"

namespace camleak::relay {

RelayCore::RelayCore(const RelayConfig& config, boost::asio::any_io_executor executor,
                     const Clock& clock, RelayState state)
    : provisioning(std::move(state.provisioning)),
      sessions(config.defects.restart_session_swap, config.seed),
      slots(GopCacheLimits{config.limits.max_gop_frames, config.limits.max_gop_bytes}),
      mapping(executor, config.defects.storm_mapping_mixup),
      snapshots(config.snapshot_ttl, config.snapshot_quality),
      config_(config),
      executor_(std::move(executor)),
      clock_(clock) {
  sessions.restore(state.sessions, clock_.now());
  std::unique_ptr<StateJournal> journal;
  if (!config_.state_file.empty()) {
    journal = std::make_unique<StateJournal>(
        StateFile(config_.state_file), provisioning,
        sessions.persistable(config_.limits.max_sessions_persisted), state.seq);
  }
  commits_ = std::make_unique<GroupCommit>(
      executor_, std::move(journal), state.seq, [this] { return snapshot_state(); }, counters);
}

RelayCore::~RelayCore() {
  mapping.cancel_all();
}

Channel& RelayCore::channel(const std::string& camera) {
  auto it = channels_.find(camera);
  if (it == channels_.end()) {
    it = channels_.emplace(camera, std::make_unique<Channel>(camera, gop_limits())).first;
  }
  return *it->second;
}

Channel* RelayCore::find_channel(const std::string& camera) {
  const auto it = channels_.find(camera);
  return it == channels_.end() ? nullptr : it->second.get();
}

void RelayCore::persist() {
  journal_sessions();
  commits_->flush();
}

void RelayCore::journal_sessions() {
  sessions_dirty_ = false;
  commits_->submit(
      StateChange::session_set(sessions.persistable(config_.limits.max_sessions_persisted)),
      [](const std::string&) {
        // Session resumption is best effort: a failed write is counted, nobody waits for it.
      });
}

void RelayCore::provisioning_changed(const StateChange& change, GroupCommit::Done done) {
  ++counters.admin_changes;
  recheck_viewers();
  commits_->submit(change, std::move(done));
}

void RelayCore::recheck_viewers() {
  // Copy: closing a connection erases it from the map.
  std::vector<std::shared_ptr<RtspConnection>> all;
  all.reserve(connections.size());
  for (const auto& [_, c] : connections) all.push_back(c);
  for (const auto& c : all) c->recheck_authorization();
}

void RelayCore::housekeeping() {
  const Micros now = clock_.now();
  std::vector<std::shared_ptr<RtspConnection>> all;
  all.reserve(connections.size());
  for (const auto& [_, c] : connections) all.push_back(c);
  for (const auto& c : all) {
    c->housekeeping(now);
    c->recheck_authorization();
  }
  sessions.expire_restored(now - std::chrono::duration_cast<Micros>(config_.timeouts.session));
  if (sessions_dirty_) journal_sessions();
}

void RelayCore::close_all() {
  std::vector<std::shared_ptr<RtspConnection>> all;
  for (const auto& [_, c] : connections) all.push_back(c);
  for (const auto& c : all) c->close(RtspConnection::CloseReason::stopped);
  connections.clear();
}

RelayState RelayCore::snapshot_state() const {
  return RelayState{provisioning, sessions.persistable(config_.limits.max_sessions_persisted)};
}

boost::json::object RelayCore::stats_json() const {
  boost::json::object out;
  out["counters"] = counters.to_json();
  size_t publishers = 0;
  size_t viewers = 0;
  boost::json::array viewer_list;
  boost::json::array publisher_list;
  for (const auto& [_, c] : connections) {
    if (c->is_viewer()) {
      ++viewers;
      viewer_list.push_back(c->stats_json());
    } else if (c->is_publisher()) {
      ++publishers;
      publisher_list.push_back(c->stats_json());
    }
  }
  out["active"] = boost::json::object{{"rtsp_connections", connections.size()},
                                      {"http_connections", http_connections},
                                      {"publishers", publishers},
                                      {"viewers", viewers},
                                      {"sessions", sessions.size()},
                                      {"channels", channels_.size()},
                                      {"viewer_slots_in_use", slots.in_use()},
                                      {"mapping_lookups_pending", mapping.pending()}};
  out["provisioning"] = boost::json::object{{"accounts", provisioning.account_count()},
                                            {"cameras", provisioning.camera_count()},
                                            {"shares", provisioning.share_count()}};
  boost::json::array defects;
  for (const auto& name : enabled_defect_names(config_.defects)) defects.emplace_back(name);
  out["defects"] = std::move(defects);
  out["viewers"] = std::move(viewer_list);
  out["publishers"] = std::move(publisher_list);
  return out;
}

}  // namespace camleak::relay
