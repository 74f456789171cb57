#include "harness/oracle/sent_counter.hpp"

namespace camleak::oracle {

void SentCounter::add(const PhaseIndex& phases, Micros at, uint64_t frames) {
  phases.for_each_containing(at, [&](size_t i) { per_phase_[i] += frames; });
  if (!last_sent_ || at > *last_sent_) last_sent_ = at;
  recent_[next_] = Send{at, frames};
  next_ = (next_ + 1) % kRecent;
  if (size_ < kRecent) ++size_;
}

std::vector<uint64_t> SentCounter::sent_before(const PhaseIndex& phases, Micros t) const {
  std::vector<uint64_t> counts = per_phase_;
  // Walk back from the newest send; sends are recorded in (roughly) time order.
  for (size_t k = 0; k < size_; ++k) {
    const Send& send = recent_[(next_ + kRecent - 1 - k) % kRecent];
    if (send.at < t) break;
    phases.for_each_containing(send.at,
                               [&](size_t i) { counts[i] -= std::min(counts[i], send.frames); });
  }
  return counts;
}

}  // namespace camleak::oracle
