#pragma once
// RTSP play sessions, their ids, and resumption (defect `restart-session-swap`, May 2021
// incident class).
//
// The feature: active play sessions are persisted in the state file so that after a relay
// restart a viewer that reconnects can present its previous id (`Session: <old id>` on SETUP)
// and resume it.
//
// The bug (defect on): session ids come from a per-process counter (1, 2, 3, ...) and a resume
// hint is re-bound to whatever session now has that id, without re-checking authorization.
// Within one process the counter never repeats, so a hint can only name the viewer's own old
// session. After a restart the counter starts again: new sessions get ids that restored
// sessions of other viewers still carry, and a viewer presenting its old id is bound to
// another account's session (and camera).
//
// Correct (defect off): ids are random 64-bit values, unique among live and restored sessions,
// and a hint is honoured only when the session belongs to the same authenticated account and
// the requested camera and is not in use by another connection.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "emulators/relay/state_file.hpp"
#include "harness/core/clock.hpp"
#include "harness/core/rng.hpp"

namespace camleak::relay {

struct SessionEntry {
  std::string id;
  std::string account;  // the account the session acts as
  std::string camera;
  uint64_t connection = 0;  // live connection holding it; 0 for a restored, unclaimed session
  Micros restored_at{};     // unclaimed sessions: when they were restored or detached
};

struct ResumeDecision {
  enum class Kind { fresh, honoured, rebound, ignored } kind = Kind::fresh;
  SessionEntry session;  // the session the connection now holds
};

class SessionTable {
 public:
  // counter_ids: the defect. `seed` 0 draws random ids from the OS.
  SessionTable(bool counter_ids, uint64_t seed);

  // Creates a session for a SETUP, honouring `hint` (the request's Session header, may be
  // empty) according to the rules above.
  ResumeDecision open(const std::string& account, const std::string& camera, uint64_t connection,
                      const std::string& hint);
  // A clean TEARDOWN: the session is gone.
  void close(const std::string& id, uint64_t connection);
  // The connection was lost without TEARDOWN: the session stays resumable until it expires.
  void detach(const std::string& id, uint64_t connection, Micros now);
  const SessionEntry* find(const std::string& id) const;

  // Unclaimed sessions (restored from the state file, or detached) older than `cutoff` are
  // forgotten.
  void expire_restored(Micros cutoff);
  void restore(const std::vector<PersistedSession>& sessions, Micros now);
  std::vector<PersistedSession> persistable(size_t max) const;
  size_t size() const { return sessions_.size(); }

 private:
  std::string new_id();

  bool counter_ids_;
  uint64_t counter_ = 0;
  Rng rng_;
  std::map<std::string, SessionEntry> sessions_;
};

}  // namespace camleak::relay
