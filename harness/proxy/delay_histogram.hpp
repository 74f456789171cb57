#pragma once
// Added delay of forwarded data (from Packet::entered_at to the write), log-linear buckets
// with 16 sub-buckets per power of two (about 6% resolution), grown only as far as the
// largest value seen so thousands of idle links cost little.
#include <cstdint>
#include <vector>

#include "harness/core/clock.hpp"

namespace camleak::proxy {

class DelayHistogram {
 public:
  void record(Micros delay);
  void merge(const DelayHistogram& other);

  uint64_t count() const { return count_; }
  Micros min() const { return Micros{count_ ? min_ : 0}; }
  Micros max() const { return Micros{max_}; }
  double mean_us() const { return count_ ? static_cast<double>(sum_) / count_ : 0.0; }
  // The upper bound of the bucket holding the p-th percentile (p in [0, 100]), capped at max().
  Micros percentile(double p) const;

  struct Bucket {
    Micros upper;  // inclusive upper bound of the bucket
    uint64_t count = 0;
  };
  // Non-empty buckets in increasing order.
  std::vector<Bucket> buckets() const;

 private:
  static size_t index_of(uint64_t us);
  static uint64_t upper_of(size_t index);

  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace camleak::proxy
