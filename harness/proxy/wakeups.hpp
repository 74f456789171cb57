#pragma once
// One timer for every chain of the proxy. Sessions schedule their chains' wake-ups here; one
// steady_timer waits for the earliest, and the proxy's I/O handlers also run what is due when
// they start. The io_context works through the readiness events of one epoll_wait (up to 128)
// before it looks at its timers again, so on a busy proxy a per-session steady_timer that
// comes due meanwhile waits for the whole batch: milliseconds at 1,000 connections. Here it
// waits for at most the handler that is running.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <vector>

#include "harness/proxy/wakeup_queue.hpp"

namespace camleak::proxy {

class Wakeups {
 public:
  Wakeups(boost::asio::io_context& io, const Clock& clock);

  // Wakes `target` (slot, ticket) at proxy-clock time `at`, or soon after.
  void schedule(Micros at, std::weak_ptr<Wakeable> target, int slot, uint64_t ticket);
  // Wakes every target that is due now. Cheap when nothing is: one clock read.
  void run_due();
  // Drops every queued wake-up and stops the timer, so the io_context can run out of work.
  // For the proxy's shutdown, once every session is closed: a live session whose wake-up is
  // dropped here would wait for it forever. Later schedules work as before.
  void clear();

  size_t pending() const { return queue_.size(); }

 private:
  void arm();

  const Clock& clock_;
  boost::asio::steady_timer timer_;
  WakeupQueue queue_;
  std::vector<WakeupQueue::Entry> due_;  // the pass being run (kept for its capacity)
  std::optional<Micros> armed_at_;
  // Entries of ended sessions and replaced requests stay in the queue until they come due,
  // which can be minutes (a stage window, a timeout): past this size the queue drops them,
  // and the bound doubles from what remains, so the cost per schedule stays constant.
  size_t compact_at_ = kMinCompactAt;
  static constexpr size_t kMinCompactAt = 4096;
  bool running_ = false;  // run_due is on the stack: a wake-up's own I/O must not re-enter it
};

}  // namespace camleak::proxy
