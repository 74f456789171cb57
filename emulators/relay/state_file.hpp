#pragma once
// Persistence of provisioning (and of the play sessions viewers may resume) across relay
// restarts, as a real cloud's database would. Written atomically: a temporary file in the same
// directory, fsync, rename over the old file, fsync of the directory, so a crash mid-write
// leaves either the old or the new state, never a torn file.
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
};

class StateFile {
 public:
  explicit StateFile(std::string path) : path_(std::move(path)) {}

  // nullopt when the file does not exist (a first start). Throws InputError naming the file
  // and field when it exists but cannot be read or does not hold a valid state.
  std::optional<RelayState> load() const;
  // Throws HarnessError when the state cannot be written.
  void save(const Provisioning& provisioning, const std::vector<PersistedSession>& sessions) const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace camleak::relay
