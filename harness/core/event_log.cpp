#include "harness/core/event_log.hpp"

namespace camleak {

void EventLog::record(FaultEvent event) {
  std::lock_guard lock(mutex_);
  if (events_.size() >= capacity_) {
    ++dropped_;
    return;
  }
  events_.push_back(std::move(event));
}

std::vector<FaultEvent> EventLog::snapshot() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::vector<FaultEvent> EventLog::since(size_t index) const {
  std::lock_guard lock(mutex_);
  if (index >= events_.size()) return {};
  return {events_.begin() + static_cast<ptrdiff_t>(index), events_.end()};
}

size_t EventLog::size() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

uint64_t EventLog::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void EventLog::clear() {
  std::lock_guard lock(mutex_);
  events_.clear();
  dropped_ = 0;
}

}  // namespace camleak
