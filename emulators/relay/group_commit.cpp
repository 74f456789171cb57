#include "emulators/relay/group_commit.hpp"

#include <boost/asio/post.hpp>

#include "harness/core/errors.hpp"

namespace camleak::relay {

GroupCommit::GroupCommit(boost::asio::any_io_executor strand, std::unique_ptr<StateJournal> journal,
                         uint64_t seq, CurrentState current, RelayCounters& counters)
    : strand_(std::move(strand)),
      journal_(std::move(journal)),
      seq_(seq),
      current_(std::move(current)),
      counters_(counters) {}

// Changes still queued are dropped unanswered: their connections are gone with the relay
// (Relay::stop flushes before it tears anything down).
GroupCommit::~GroupCommit() = default;

void GroupCommit::submit(const StateChange& change, Done done) {
  if (!journal_) {
    done("");
    return;
  }
  pending_ += encode_change(change, ++seq_);
  waiting_.push_back(std::move(done));
  if (flush_posted_) return;
  flush_posted_ = true;
  boost::asio::post(strand_, [this, alive = std::weak_ptr<int>(alive_)] {
    if (alive.expired()) return;
    flush_posted_ = false;
    // A failure is counted and answered to every change of the batch: nothing left to do.
    commit_pending();
  });
}

void GroupCommit::flush() {
  if (const std::string error = commit_pending(); !error.empty()) throw HarnessError(error);
}

std::string GroupCommit::commit_pending() {
  if (waiting_.empty()) return "";
  const std::string lines = std::move(pending_);
  pending_.clear();
  std::vector<Done> waiting = std::move(waiting_);
  waiting_.clear();
  const std::string error = write_batch(lines);
  for (auto& done : waiting) done(error);
  return error;
}

std::string GroupCommit::write_batch(const std::string& lines) {
  try {
    if (journal_->broken()) {
      // The journal's end is unknown after a failed write: a snapshot of the live state (which
      // holds this batch too) replaces it, or nothing is acknowledged.
      const RelayState state = current_();
      journal_->compact(state.provisioning, state.sessions, seq_);
      ++counters_.state_writes;
      ++counters_.state_compactions;
      return "";
    }
    journal_->append(lines);
    ++counters_.state_writes;
  } catch (const HarnessError& e) {
    ++counters_.state_write_errors;
    return e.what();
  }
  if (journal_->wants_compaction()) {
    try {
      const RelayState state = current_();
      journal_->compact(state.provisioning, state.sessions, seq_);
      ++counters_.state_writes;
      ++counters_.state_compactions;
    } catch (const HarnessError&) {
      // The batch is durable in the journal; the next batch tries again (or, if the journal
      // was left unusable, compacts before it appends).
      ++counters_.state_write_errors;
    }
  }
  return "";
}

}  // namespace camleak::relay
