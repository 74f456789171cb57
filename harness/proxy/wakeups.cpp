#include "harness/proxy/wakeups.hpp"

#include <algorithm>

namespace camleak::proxy {

Wakeups::Wakeups(boost::asio::io_context& io, const Clock& clock) : clock_(clock), timer_(io) {}

void Wakeups::schedule(Micros at, std::weak_ptr<Wakeable> target, int slot, uint64_t ticket) {
  queue_.push(at, std::move(target), slot, ticket);
  if (queue_.size() >= compact_at_) {
    queue_.drop_unwanted();
    compact_at_ = std::max(kMinCompactAt, 2 * queue_.size());
  }
  if (!running_ && (!armed_at_ || at < *armed_at_)) arm();
}

void Wakeups::run_due() {
  if (running_ || queue_.size() == 0) return;
  const Micros now = clock_.now();
  // Take out everything due first: what a wake-up schedules waits for the next pass, even if
  // it is due at once, so a target that keeps asking for "now" cannot hold the thread.
  while (auto entry = queue_.pop_due(now)) due_.push_back(std::move(*entry));
  if (due_.empty()) return;
  {
    running_ = true;
    size_t next = 0;
    // Even if a wake-up throws: the flag must not stay set (it would stop every later
    // wake-up), and the entries not run yet go back to the queue (their targets would not ask
    // again, believing they are scheduled).
    struct Done {
      Wakeups& w;
      const size_t& next;
      ~Done() {
        for (size_t i = next; i < w.due_.size(); ++i) {
          auto& e = w.due_[i];
          w.queue_.push(e.at, std::move(e.target), e.slot, e.ticket);
        }
        w.due_.clear();
        w.running_ = false;
      }
    } done{*this, next};
    while (next < due_.size()) {
      const auto& entry = due_[next++];
      if (auto target = entry.target.lock()) target->wake(entry.slot, entry.ticket);
    }
  }
  // After a peak (a burst of connections that ended), let the compaction bound come down.
  if (queue_.size() < compact_at_ / 4) compact_at_ = std::max(kMinCompactAt, compact_at_ / 2);
  arm();
}

void Wakeups::arm() {
  const auto earliest = queue_.earliest();
  if (earliest == armed_at_) return;
  armed_at_ = earliest;
  if (!earliest) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(std::chrono::steady_clock::now() + (*earliest - clock_.now()));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // re-armed or stopped
    armed_at_.reset();
    run_due();
    arm();
  });
}

void Wakeups::clear() {
  queue_ = WakeupQueue();
  compact_at_ = kMinCompactAt;
  armed_at_.reset();
  timer_.cancel();
}

}  // namespace camleak::proxy
