#pragma once
// A FIFO link that sends one packet at a time, each taking its own transmission time: the
// bandwidth (Toxiproxy) and rate (netem) stages. Times are kept in nanoseconds so that many
// small packets do not accumulate rounding error. When the rate changes, what is held is
// rescheduled at the new rate (a rate cut to "unlimited" releases the backlog at once).
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "harness/impair/packet.hpp"

namespace camleak::impair {

class SerialQueue {
 public:
  // Nanoseconds `packet` takes to transmit.
  using Cost = std::function<int64_t(const Packet&)>;

  void push(Packet packet, Micros now, int64_t cost_ns);
  std::optional<Packet> pop(Micros now);
  std::optional<Micros> next_ready() const;
  // Recomputes every held packet's release time with a new cost, keeping the head's start.
  void reschedule(const Cost& cost);
  std::vector<Packet> drain();

  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  size_t bytes() const { return bytes_; }

 private:
  struct Item {
    Packet packet;
    int64_t arrival_ns;
    int64_t start_ns;
    int64_t ready_ns;
  };
  static Micros to_micros_ceil(int64_t ns) { return Micros{(ns + 999) / 1000}; }

  std::deque<Item> items_;
  int64_t busy_until_ns_ = std::numeric_limits<int64_t>::min();
  size_t bytes_ = 0;
};

}  // namespace camleak::impair
