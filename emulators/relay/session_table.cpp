#include "emulators/relay/session_table.hpp"

#include <openssl/rand.h>

#include <cstdio>

namespace camleak::relay {

namespace {
uint64_t os_random_seed() {
  uint64_t v = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1) v = 0x9e3779b97f4a7c15ull;
  return v;
}
}  // namespace

SessionTable::SessionTable(bool counter_ids, uint64_t seed)
    : counter_ids_(counter_ids),
      rng_(seed != 0 ? Rng::derive(seed, "relay/session-ids") : os_random_seed()) {}

std::string SessionTable::new_id() {
  if (counter_ids_) {
    // THE BUG: a per-process counter, restarting at 1 with the process; and no check that a
    // restored session already carries the id.
    return std::to_string(++counter_);
  }
  for (;;) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng_.next_u64()));
    if (!sessions_.contains(buf)) return buf;
  }
}

ResumeDecision SessionTable::open(const std::string& account, const std::string& camera,
                                  uint64_t connection, const std::string& hint) {
  if (!hint.empty()) {
    const auto it = sessions_.find(hint);
    if (it != sessions_.end()) {
      SessionEntry& existing = it->second;
      if (counter_ids_) {
        // THE BUG: re-bound to whatever session now has this id, authorization not re-checked:
        // the viewer continues as that session's account, on that session's camera.
        existing.connection = connection;
        return ResumeDecision{existing.account == account && existing.camera == camera
                                  ? ResumeDecision::Kind::honoured
                                  : ResumeDecision::Kind::rebound,
                              existing};
      }
      const bool held_elsewhere = existing.connection != 0 && existing.connection != connection;
      if (existing.account == account && existing.camera == camera && !held_elsewhere) {
        existing.connection = connection;
        return ResumeDecision{ResumeDecision::Kind::honoured, existing};
      }
    }
  }
  SessionEntry entry{
      .id = new_id(), .account = account, .camera = camera, .connection = connection};
  sessions_[entry.id] = entry;  // with counter ids this may overwrite a restored session
  return ResumeDecision{hint.empty() ? ResumeDecision::Kind::fresh : ResumeDecision::Kind::ignored,
                        entry};
}

void SessionTable::close(const std::string& id, uint64_t connection) {
  const auto it = sessions_.find(id);
  if (it != sessions_.end() && it->second.connection == connection) sessions_.erase(it);
}

void SessionTable::detach(const std::string& id, uint64_t connection, Micros now) {
  const auto it = sessions_.find(id);
  if (it != sessions_.end() && it->second.connection == connection) {
    it->second.connection = 0;
    it->second.restored_at = now;
  }
}

const SessionEntry* SessionTable::find(const std::string& id) const {
  const auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : &it->second;
}

void SessionTable::expire_restored(Micros cutoff) {
  std::erase_if(sessions_, [&](const auto& item) {
    return item.second.connection == 0 && item.second.restored_at < cutoff;
  });
}

void SessionTable::restore(const std::vector<PersistedSession>& sessions, Micros now) {
  for (const auto& s : sessions) {
    sessions_[s.id] = SessionEntry{
        .id = s.id, .account = s.account, .camera = s.camera, .connection = 0, .restored_at = now};
  }
}

std::vector<PersistedSession> SessionTable::persistable(size_t max) const {
  std::vector<PersistedSession> out;
  for (const auto& [id, s] : sessions_) {
    if (out.size() >= max) break;
    out.push_back(PersistedSession{id, s.account, s.camera});
  }
  return out;
}

}  // namespace camleak::relay
