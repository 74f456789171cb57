#include "harness/proxy/delay_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace camleak::proxy {
namespace {
constexpr unsigned kSubBits = 4;              // 16 sub-buckets per power of two
constexpr uint64_t kLinear = 2u << kSubBits;  // values below 32 us get exact buckets
}  // namespace

size_t DelayHistogram::index_of(uint64_t us) {
  if (us < kLinear) return us;
  const unsigned e = std::bit_width(us) - 1;  // >= kSubBits + 1
  const uint64_t sub = (us >> (e - kSubBits)) & ((1u << kSubBits) - 1);
  return kLinear + (e - kSubBits - 1) * (1u << kSubBits) + sub;
}

uint64_t DelayHistogram::upper_of(size_t index) {
  if (index < kLinear) return index;
  const size_t k = index - kLinear;
  const unsigned e = static_cast<unsigned>(k >> kSubBits) + kSubBits + 1;
  const uint64_t sub = k & ((1u << kSubBits) - 1);
  return (((1u << kSubBits) + sub + 1) << (e - kSubBits)) - 1;
}

void DelayHistogram::record(Micros delay) {
  const uint64_t us = delay.count() > 0 ? static_cast<uint64_t>(delay.count()) : 0;
  const size_t i = index_of(us);
  if (i >= counts_.size()) counts_.resize(i + 1, 0);
  ++counts_[i];
  ++count_;
  sum_ += us;
  min_ = std::min(min_, us);
  max_ = std::max(max_, us);
}

void DelayHistogram::merge(const DelayHistogram& other) {
  if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (size_t i = 0; i < other.counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

Micros DelayHistogram::percentile(double p) const {
  if (count_ == 0) return Micros{0};
  const double clamped = std::clamp(p, 0.0, 100.0);
  const auto rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(clamped / 100.0 * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      return Micros{static_cast<int64_t>(std::clamp(upper_of(i), min_, max_))};
    }
  }
  return Micros{static_cast<int64_t>(max_)};
}

std::vector<DelayHistogram::Bucket> DelayHistogram::buckets() const {
  std::vector<Bucket> out;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i]) out.push_back({Micros{static_cast<int64_t>(upper_of(i))}, counts_[i]});
  }
  return out;
}

}  // namespace camleak::proxy
