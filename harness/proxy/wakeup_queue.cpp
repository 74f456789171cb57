#include "harness/proxy/wakeup_queue.hpp"

#include <algorithm>

namespace camleak::proxy {
namespace {

// std::*_heap keep the greatest element first: "greater" puts the earliest first.
bool later(const WakeupQueue::Entry& a, const WakeupQueue::Entry& b) {
  return a.at != b.at ? a.at > b.at : a.order > b.order;
}

}  // namespace

void WakeupQueue::push(Micros at, std::weak_ptr<Wakeable> target, int slot, uint64_t ticket) {
  heap_.push_back(Entry{.at = at,
                        .target = std::move(target),
                        .slot = slot,
                        .ticket = ticket,
                        .order = next_order_++});
  std::push_heap(heap_.begin(), heap_.end(), later);
}

std::optional<WakeupQueue::Entry> WakeupQueue::pop_due(Micros now) {
  if (heap_.empty() || heap_.front().at > now) return std::nullopt;
  std::pop_heap(heap_.begin(), heap_.end(), later);
  Entry entry = std::move(heap_.back());
  heap_.pop_back();
  return entry;
}

void WakeupQueue::drop_unwanted() {
  std::erase_if(heap_, [](const Entry& e) {
    const auto target = e.target.lock();
    return !target || !target->wants(e.slot, e.ticket);
  });
  std::make_heap(heap_.begin(), heap_.end(), later);
}

std::optional<Micros> WakeupQueue::earliest() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.front().at;
}

}  // namespace camleak::proxy
