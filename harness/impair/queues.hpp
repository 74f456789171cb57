#pragma once
// The two queues every holding stage is built from. Packets are moved in and out, never copied.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "harness/impair/packet.hpp"

namespace camleak::impair {

struct TimedPacket {
  Micros ready{};
  Packet packet;
};

// First in, first out, with release times that never decrease: a later packet never leaves
// before an earlier one (a TCP byte stream, or datagrams with order preserved).
class OrderedQueue {
 public:
  // Queues `packet` to leave at `ready`, or together with the packet before it if that is later.
  // Returns the release time actually given.
  Micros push(Packet packet, Micros ready) {
    if (!items_.empty()) ready = std::max(ready, items_.back().ready);
    bytes_ += packet.bytes.size();
    items_.push_back(TimedPacket{ready, std::move(packet)});
    return ready;
  }
  std::optional<Packet> pop(Micros now) {
    if (items_.empty() || items_.front().ready > now) return std::nullopt;
    Packet packet = std::move(items_.front().packet);
    items_.pop_front();
    bytes_ -= packet.bytes.size();
    return packet;
  }
  std::optional<Micros> next_ready() const {
    if (items_.empty()) return std::nullopt;
    return items_.front().ready;
  }
  std::vector<Packet> drain() {
    bytes_ = 0;
    return take_packets(items_);
  }
  // Drops everything held; returns the number of data bytes dropped.
  size_t clear() {
    const size_t dropped = bytes_;
    items_.clear();
    bytes_ = 0;
    return dropped;
  }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  size_t bytes() const { return bytes_; }
  // For stages that reschedule what they hold when reconfigured (release times must stay
  // non-decreasing).
  std::deque<TimedPacket>& items() { return items_; }

 private:
  std::deque<TimedPacket> items_;
  size_t bytes_ = 0;
};

// Releases packets in order of their release time, ties in arrival order: datagrams whose
// delays differ overtake each other, as they do under netem with jitter.
class ScheduledQueue {
 public:
  void push(Packet packet, Micros ready) {
    bytes_ += packet.bytes.size();
    heap_.push_back(Entry{ready, next_sequence_++, std::move(packet)});
    std::push_heap(heap_.begin(), heap_.end(), later);
  }
  std::optional<Packet> pop(Micros now) {
    if (heap_.empty() || heap_.front().ready > now) return std::nullopt;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    Packet packet = std::move(heap_.back().packet);
    heap_.pop_back();
    bytes_ -= packet.bytes.size();
    return packet;
  }
  std::optional<Micros> next_ready() const {
    if (heap_.empty()) return std::nullopt;
    return heap_.front().ready;
  }
  // Everything held, in release order.
  std::vector<Packet> drain() {
    std::sort(heap_.begin(), heap_.end(),
              [](const Entry& a, const Entry& b) { return later(b, a); });
    bytes_ = 0;
    return take_packets(heap_);
  }
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  size_t bytes() const { return bytes_; }

 private:
  struct Entry {
    Micros ready;
    uint64_t sequence;
    Packet packet;
  };
  // Heap order: the entry that leaves first is at the front.
  static bool later(const Entry& a, const Entry& b) {
    return a.ready != b.ready ? a.ready > b.ready : a.sequence > b.sequence;
  }
  std::vector<Entry> heap_;
  uint64_t next_sequence_ = 0;
  size_t bytes_ = 0;
};

}  // namespace camleak::impair
