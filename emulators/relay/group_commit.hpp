#pragma once
// Group commit of state changes on the relay's strand: each admin change is answered only once
// it is durable, but the changes that arrive while the relay is busy share one journal write
// and one fdatasync. submit() queues the change and posts a flush to the strand; handlers
// already queued there (other admin connections' requests) run first and join the batch, so
// the batch grows with the number of concurrent clients and a lone client waits for no timer.
#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emulators/relay/counters.hpp"
#include "emulators/relay/state_change.hpp"
#include "emulators/relay/state_journal.hpp"

namespace camleak::relay {

class GroupCommit {
 public:
  // Called on the strand with "" once the change is durable, or with why it is not.
  using Done = std::function<void(const std::string& error)>;
  // The live state, for compaction: every submitted change is already applied to it.
  using CurrentState = std::function<RelayState()>;

  // `journal` null: nothing persists and every change is "durable" at once.
  GroupCommit(boost::asio::any_io_executor strand, std::unique_ptr<StateJournal> journal,
              uint64_t seq, CurrentState current, RelayCounters& counters);
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // On the strand. `done` may run before submit() returns (no journal).
  void submit(const StateChange& change, Done done);
  // On the strand: writes what is queued now (relay stop). Throws HarnessError when it cannot.
  void flush();

 private:
  // Writes the queued batch and answers each of its changes; "" or why it failed.
  std::string commit_pending();
  // Writes the batch; "" or why it failed.
  std::string write_batch(const std::string& lines);

  boost::asio::any_io_executor strand_;
  std::unique_ptr<StateJournal> journal_;
  uint64_t seq_;
  CurrentState current_;
  RelayCounters& counters_;
  std::string pending_;
  std::vector<Done> waiting_;
  bool flush_posted_ = false;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace camleak::relay
