#include "harness/impair/serial_queue.hpp"

#include <algorithm>

namespace camleak::impair {

void SerialQueue::push(Packet packet, Micros now, int64_t cost_ns) {
  const int64_t arrival = now.count() * 1000;
  const int64_t start = std::max(arrival, busy_until_ns_);
  busy_until_ns_ = start + cost_ns;
  bytes_ += packet.bytes.size();
  items_.push_back(Item{std::move(packet), arrival, start, busy_until_ns_});
}

std::optional<Packet> SerialQueue::pop(Micros now) {
  if (items_.empty() || to_micros_ceil(items_.front().ready_ns) > now) return std::nullopt;
  Packet packet = std::move(items_.front().packet);
  items_.pop_front();
  bytes_ -= packet.bytes.size();
  return packet;
}

std::optional<Micros> SerialQueue::next_ready() const {
  if (items_.empty()) return std::nullopt;
  return to_micros_ceil(items_.front().ready_ns);
}

void SerialQueue::reschedule(const Cost& cost) {
  if (items_.empty()) {
    busy_until_ns_ = std::numeric_limits<int64_t>::min();
    return;
  }
  int64_t t = items_.front().start_ns;
  for (auto& item : items_) {
    item.start_ns = std::max(t, item.arrival_ns);
    item.ready_ns = item.start_ns + cost(item.packet);
    t = item.ready_ns;
  }
  busy_until_ns_ = t;
}

std::vector<Packet> SerialQueue::drain() {
  bytes_ = 0;
  return take_packets(items_);
}

}  // namespace camleak::impair
