#include "emulators/camera/send_log.hpp"

#include <algorithm>

#include "harness/core/errors.hpp"

namespace camleak::emulators {

SendLog::SendLog(Micros bucket_width, std::size_t max_buckets)
    : bucket_width_(bucket_width), max_buckets_(max_buckets) {
  if (bucket_width <= Micros{0})
    throw InputError(Diagnostic{.field = "send_log.bucket", .message = "must be positive"});
  if (max_buckets == 0)
    throw InputError(Diagnostic{.field = "send_log.max_buckets", .message = "must be at least 1"});
}

void SendLog::record(Micros at) {
  ++total_;
  const int64_t index = std::max<int64_t>(0, at.count() / bucket_width_.count());
  if (static_cast<std::size_t>(index) >= max_buckets_) {
    ++overflow_;
    return;
  }
  // Grows in steps as the run advances; capped at max_buckets_.
  if (static_cast<std::size_t>(index) >= counts_.size()) counts_.resize(index + 1, 0);
  ++counts_[index];
}

uint64_t SendLog::count_between(Micros from, Micros to) const {
  uint64_t sum = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    const Micros bucket_start = bucket_width_ * static_cast<int64_t>(i);
    if (bucket_start >= from && bucket_start < to) sum += counts_[i];
  }
  return sum;
}

}  // namespace camleak::emulators
