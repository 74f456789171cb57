#pragma once
// Helpers for the impairment tests: build stages from the registry, make packets, and run a
// stage or chain on a manual timeline, collecting what leaves and when.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "harness/impair/chain.hpp"
#include "harness/impair/registry.hpp"

namespace camleak::impair::test {

inline Packet data(size_t size, uint8_t fill = 0) {
  return Packet{.kind = Packet::Kind::data, .bytes = std::vector<uint8_t>(size, fill)};
}

// A packet whose first 4 bytes carry `id`, so tests can follow it.
inline Packet tagged(uint32_t id, size_t size = 100) {
  Packet packet = data(std::max<size_t>(size, 4));
  for (int i = 0; i < 4; ++i) packet.bytes[i] = static_cast<uint8_t>(id >> (8 * i));
  return packet;
}

inline uint32_t tag_of(const Packet& packet) {
  uint32_t id = 0;
  for (int i = 0; i < 4; ++i) id |= static_cast<uint32_t>(packet.bytes[i]) << (8 * i);
  return id;
}

inline Packet signal(Packet::Kind kind) {
  return Packet{.kind = kind};
}

inline std::unique_ptr<Stage> make_stage(const std::string& type, const Attributes& attributes,
                                         uint64_t seed = 1, Micros created_at = Micros{0},
                                         EventLog* events = nullptr) {
  const Registry& registry = Registry::builtin();
  const StageType& stage_type = registry.get(type);
  return stage_type.create(StageContext{.name = type + "_test",
                                        .link = "link",
                                        .rng = Rng(seed),
                                        .events = events,
                                        .created_at = created_at},
                           *registry.settings(type, attributes));
}

struct Output {
  Micros at;
  Packet packet;
};

// Pops everything ready at `now`.
template <class Queue>
void collect(Queue& queue, Micros now, std::vector<Output>& out) {
  while (auto packet = queue.pop(now)) out.push_back(Output{now, std::move(*packet)});
}

// Advances time from `now` to each wakeup up to `until`, collecting what leaves.
template <class Queue>
std::vector<Output> run_until(Queue& queue, Micros now, Micros until) {
  std::vector<Output> out;
  for (int guard = 0; guard < 10'000'000; ++guard) {
    collect(queue, now, out);
    const auto wakeup = queue.next_wakeup(now);
    if (!wakeup || *wakeup > until) return out;
    if (*wakeup <= now) {
      // Something claims to be ready but pop() gave nothing: would spin forever.
      collect(queue, now, out);
      if (queue.next_wakeup(now) && *queue.next_wakeup(now) <= now) {
        ADD_FAILURE() << "wakeup " << wakeup->count() << " <= now " << now.count()
                      << " but nothing pops";
        return out;
      }
      continue;
    }
    now = *wakeup;
  }
  ADD_FAILURE() << "did not settle";
  return out;
}

inline size_t total_bytes(const std::vector<Output>& out) {
  size_t total = 0;
  for (const auto& o : out) total += o.packet.bytes.size();
  return total;
}

inline std::vector<uint8_t> concatenated(const std::vector<Output>& out) {
  std::vector<uint8_t> bytes;
  for (const auto& o : out) bytes.insert(bytes.end(), o.packet.bytes.begin(), o.packet.bytes.end());
  return bytes;
}

inline uint64_t counter(const Stage& stage, const std::string& action) {
  const Counters named = stage.counters().named();
  const auto it = named.find(action);
  return it == named.end() ? 0 : it->second;
}

inline double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

inline double stddev(const std::vector<double>& v) {
  const double m = mean(v);
  double sum = 0;
  for (double x : v) sum += (x - m) * (x - m);
  return std::sqrt(sum / static_cast<double>(v.size()));
}

}  // namespace camleak::impair::test
