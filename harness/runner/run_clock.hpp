#pragma once
// The run clock: monotonic, with its zero set when the fleet starts (set-up such as encoding
// the cameras' loops happens before time 0, so the timeline's times mean what the file says).
#include <atomic>
#include <chrono>

#include "harness/core/clock.hpp"

namespace camleak::runner {

class RunClock final : public Clock {
 public:
  RunClock() { restart(); }
  Micros now() const override {
    return std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now().time_since_epoch()) -
           Micros{epoch_.load(std::memory_order_relaxed)};
  }
  // Makes now() zero.
  void restart() {
    epoch_.store(
        std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now().time_since_epoch())
            .count(),
        std::memory_order_relaxed);
  }

 private:
  std::atomic<int64_t> epoch_{0};
};

}  // namespace camleak::runner
