#pragma once
// The fault/event log: every fault decision the proxy's stages take, and every action the
// timeline player performs, in time order per producer. Thread-safe and bounded: past its
// capacity it counts what it could not keep instead of growing.
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "harness/core/clock.hpp"

namespace camleak {

struct FaultEvent {
  Micros time{};
  std::string link;         // link name ("" for run-level events)
  uint64_t connection = 0;  // connection (or UDP flow) index within the link
  std::string direction;    // "upstream", "downstream" or ""
  std::string stage;        // stage name (toxic name) or timeline action kind
  std::string action;       // what was done: "drop", "delay", "reset", "partition-start", ...
  uint64_t bytes = 0;       // bytes affected, 0 when not applicable
};

class EventLog {
 public:
  explicit EventLog(size_t capacity = 1'000'000) : capacity_(capacity) {}

  void record(FaultEvent event);
  // Copy of everything kept so far, in the order recorded.
  std::vector<FaultEvent> snapshot() const;
  // Events recorded at or after `since`.
  std::vector<FaultEvent> since(size_t index) const;
  size_t size() const;
  uint64_t dropped() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  size_t capacity_;
  std::vector<FaultEvent> events_;
  uint64_t dropped_ = 0;
};

}  // namespace camleak
