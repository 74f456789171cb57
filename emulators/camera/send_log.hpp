#pragma once
// Compact record of when a camera's frames left: a count per fixed-width time bucket (100 ms by
// default), which is what the oracle's delivered ratio needs (frames sent per interval) at a
// few bytes per bucket instead of a timestamp per frame. Frames after the last bucket are
// counted in overflow() so memory stays bounded however long the run.
// Not thread-safe: written on the camera's io_context thread; read there or after stop().
#include <cstddef>
#include <cstdint>
#include <vector>

#include "harness/core/clock.hpp"

namespace camleak::emulators {

class SendLog {
 public:
  // Throws InputError when bucket_width is not positive or max_buckets is 0.
  SendLog(Micros bucket_width = Micros{100'000}, std::size_t max_buckets = 36'000);

  // One frame sent at run-clock time `at` (times before 0 count in bucket 0).
  void record(Micros at);

  uint64_t total() const { return total_; }
  uint64_t overflow() const { return overflow_; }
  Micros bucket_width() const { return bucket_width_; }
  // counts()[i] = frames sent in [i * width, (i + 1) * width).
  const std::vector<uint32_t>& counts() const { return counts_; }
  // Frames sent in the buckets that start in [from, to): bucket-granular.
  uint64_t count_between(Micros from, Micros to) const;

 private:
  Micros bucket_width_;
  std::size_t max_buckets_;
  std::vector<uint32_t> counts_;
  uint64_t total_ = 0;
  uint64_t overflow_ = 0;
};

}  // namespace camleak::emulators
