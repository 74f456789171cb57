#pragma once
// Time for everything in camleak is a duration since an epoch chosen by the owner of the clock
// (normally the start of a run). Pure code takes a Clock& so tests can drive it by hand.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace camleak {

using Micros = std::chrono::microseconds;
using namespace std::chrono_literals;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Micros now() const = 0;
};

// A clock that only moves when told to: the clock of every unit test.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Micros start = Micros{0}) : now_(start.count()) {}
  Micros now() const override { return Micros{now_.load(std::memory_order_relaxed)}; }
  void advance(Micros by) { now_.fetch_add(by.count(), std::memory_order_relaxed); }
  void set(Micros to) { now_.store(to.count(), std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> now_;
};

// The real monotonic clock, counted from the moment it was constructed (the run's epoch).
class SteadyClock final : public Clock {
 public:
  SteadyClock() : epoch_(std::chrono::steady_clock::now()) {}
  Micros now() const override {
    return std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - epoch_);
  }
  std::chrono::steady_clock::time_point epoch() const { return epoch_; }

 private:
  std::chrono::steady_clock::time_point epoch_;
};

}  // namespace camleak
