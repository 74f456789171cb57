#pragma once
// The Oracle behind one mutex, for run loops that feed it from several threads (one per hub
// connection, say). judge() holds the lock for about a microsecond, so one lock is enough at
// fleet scale (see tools/bench/oracle).
#include <mutex>

#include "harness/oracle/oracle.hpp"

namespace camleak::oracle {

class SynchronizedOracle {
 public:
  template <typename... Args>
  explicit SynchronizedOracle(Args&&... args) : oracle_(std::forward<Args>(args)...) {}

  Verdict judge(const Observation& observation) {
    std::lock_guard lock(mutex_);
    return oracle_.judge(observation);
  }
  void record(const Operation& operation) {
    std::lock_guard lock(mutex_);
    oracle_.record(operation);
  }
  void record_sent(std::string_view camera, Micros at, uint64_t frames = 1) {
    std::lock_guard lock(mutex_);
    oracle_.record_sent(camera, at, frames);
  }
  void add_sent(std::string_view camera, std::string_view phase, uint64_t frames) {
    std::lock_guard lock(mutex_);
    oracle_.add_sent(camera, phase, frames);
  }
  uint64_t count(VerdictKind kind) const {
    std::lock_guard lock(mutex_);
    return oracle_.count(kind);
  }
  Results finish(Micros run_end) {
    std::lock_guard lock(mutex_);
    return oracle_.finish(run_end);
  }

 private:
  mutable std::mutex mutex_;
  Oracle oracle_;
};

}  // namespace camleak::oracle
