#pragma once
// The append-only journal of state changes beside the snapshot (state_file.hpp). A change is
// durable once its line is written and fdatasync'd (which also makes the grown file size
// durable), so one change costs a line, not a rewrite of the whole state. When the journal grows
// past `factor` times the last snapshot (and past `min_bytes`), it is compacted: a new snapshot
// of the live state, then the journal is emptied; the cost of compaction is thus spread over
// the changes that made the journal grow, and a long-lived relay's journal stays bounded.
#include <cstdint>
#include <string>
#include <vector>

#include "emulators/relay/state_file.hpp"

namespace camleak::relay {

struct JournalLimits {
  uint64_t factor = 4;              // compact when the journal is larger than factor x snapshot
  uint64_t min_bytes = 1ull << 20;  // ... and than this (small states compact rarely)
};

class StateJournal {
 public:
  // Writes `state` as a fresh snapshot (seq `state.seq`) and empties the journal, so a torn
  // tail left by a crash is discarded before anything is appended after it. Throws HarnessError
  // when the files cannot be written.
  StateJournal(StateFile file, const Provisioning& provisioning,
               const std::vector<PersistedSession>& sessions, uint64_t seq,
               JournalLimits limits = {});
  ~StateJournal();
  StateJournal(const StateJournal&) = delete;
  StateJournal& operator=(const StateJournal&) = delete;

  // Appends whole journal lines and returns once they are durable. Throws HarnessError; after
  // a failure the journal's end is unknown, so broken() holds until the next compact().
  void append(const std::string& lines);
  bool broken() const { return broken_; }
  bool wants_compaction() const;
  // A snapshot of the live state, which includes every change up to `seq`, then an empty
  // journal. Throws HarnessError (the previous snapshot and journal stay valid).
  void compact(const Provisioning& provisioning, const std::vector<PersistedSession>& sessions,
               uint64_t seq);

  const StateFile& file() const { return file_; }
  uint64_t journal_bytes() const { return journal_bytes_; }
  uint64_t snapshot_bytes() const { return snapshot_bytes_; }

 private:
  void truncate();

  StateFile file_;
  JournalLimits limits_;
  int fd_ = -1;
  uint64_t journal_bytes_ = 0;
  uint64_t snapshot_bytes_ = 0;
  bool broken_ = false;
};

}  // namespace camleak::relay
