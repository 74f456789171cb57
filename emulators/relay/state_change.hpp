#pragma once
// One change to the relay's persisted state, as one line of the state journal
// (state_journal.hpp): {"seq": N, "op": "account", ...}\n. Replaying the lines in order on the
// snapshot they follow gives the state the relay had acknowledged.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/relay/state_file.hpp"

namespace camleak::relay {

struct StateChange {
  enum class Kind { account, camera, share, unshare, sessions };
  Kind kind = Kind::account;
  std::string subject;  // account: the account; camera, share, unshare: the camera
  std::string other;    // camera: the owner; share, unshare: the account
  std::string secret;   // account: the token; camera: the secret
  std::vector<PersistedSession> sessions;  // sessions: the whole resumable set

  static StateChange account(std::string account, std::string token);
  static StateChange camera(std::string camera, std::string owner, std::string secret);
  static StateChange share(std::string camera, std::string account);
  static StateChange unshare(std::string camera, std::string account);
  static StateChange session_set(std::vector<PersistedSession> sessions);
};

// The journal line of `change` with sequence number `seq`, ending in '\n'.
std::string encode_change(const StateChange& change, uint64_t seq);

struct JournalRecord {
  uint64_t seq = 0;
  StateChange change;
};

// The record of one journal line (without its '\n'). nullopt when the line is not a JSON object
// (the torn end of a write cut by a crash); throws InputError naming the field when it is a
// complete record that does not describe a valid change (a corrupt or foreign file).
std::optional<JournalRecord> decode_change(std::string_view line);

void apply_change(const StateChange& change, RelayState& state);

}  // namespace camleak::relay
