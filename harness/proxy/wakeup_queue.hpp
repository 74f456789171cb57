#pragma once
// The proxy's pending wake-ups (each a chain's next_wakeup), earliest first. Pure: no clock,
// no sockets. A requester that moves its wake-up earlier pushes a new entry with a new ticket;
// the old entry stays in the heap and is recognised as stale by its ticket when it comes due.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "harness/core/clock.hpp"

namespace camleak::proxy {

class Wakeable {
 public:
  virtual ~Wakeable() = default;
  // `slot` says which of the target's timers (a direction); `ticket` which request. A target
  // ignores a ticket it has since replaced.
  virtual void wake(int slot, uint64_t ticket) = 0;
  // Whether that request still stands (false once replaced, or the target has ended): the
  // queue drops the entries nobody wants when it grows.
  virtual bool wants(int slot, uint64_t ticket) const = 0;
};

class WakeupQueue {
 public:
  struct Entry {
    Micros at;
    std::weak_ptr<Wakeable> target;
    int slot = 0;
    uint64_t ticket = 0;
    uint64_t order = 0;  // entries due at the same time leave in the order they came
  };

  void push(Micros at, std::weak_ptr<Wakeable> target, int slot, uint64_t ticket);
  // The earliest entry if it is due at `now`, removed from the queue.
  std::optional<Entry> pop_due(Micros now);
  std::optional<Micros> earliest() const;
  size_t size() const { return heap_.size(); }
  // Drops the entries whose target has ended or no longer wants them.
  void drop_unwanted();

 private:
  std::vector<Entry> heap_;
  uint64_t next_order_ = 0;
};

}  // namespace camleak::proxy
