#pragma once
// Persistence of provisioning (and of the play sessions viewers may resume) across relay
// restarts, as a real cloud's database would: a snapshot (this file) plus an append-only journal
// of the changes made since (`<path>.journal`, state_journal.hpp), so one change costs one line
// and not a rewrite of the whole state. The snapshot is written atomically: a temporary file in
// the same directory, fsync, rename over the old file, fsync of the directory, so a crash
// mid-write leaves either the old or the new snapshot, never a torn one. A crash mid-append
// leaves a torn last journal line, which load() ignores: that change was never acknowledged.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulators/relay/provisioning.hpp"

namespace camleak::relay {

// A play session as remembered for resumption after a restart.
struct PersistedSession {
  std::string id;
  std::string account;
  std::string camera;
  bool operator==(const PersistedSession&) const = default;
};

struct RelayState {
  Provisioning provisioning;
  std::vector<PersistedSession> sessions;
  uint64_t seq = 0;                 // the last journaled change this state includes
  uint64_t ignored_tail_bytes = 0;  // load(): the torn journal tail that was not replayed
};

class StateFile {
 public:
  explicit StateFile(std::string path) : path_(std::move(path)) {}

  // The snapshot with the journal replayed on it, up to the first torn line. nullopt when the
  // snapshot does not exist (a first start; a journal without its snapshot is stale: removing
  // the state file means "start from an empty cloud"). Throws InputError naming the file, line
  // and field when a file exists but cannot be read or does not hold a valid state.
  std::optional<RelayState> load() const;
  // Writes the snapshot atomically; `seq` is the last journaled change it includes (journal
  // lines up to it are skipped on load). Throws HarnessError when it cannot be written.
  void save(const Provisioning& provisioning, const std::vector<PersistedSession>& sessions,
            uint64_t seq = 0) const;

  const std::string& path() const { return path_; }
  std::string journal_path() const { return path_ + ".journal"; }

 private:
  std::string path_;
};

}  // namespace camleak::relay
