#pragma once
// Frames one camera sent, per phase. A stream that starts mid-phase must only be charged for
// frames sent after it started; the run loop reports sends as they happen, slightly ahead of the
// frames reaching the hub, so the counter remembers its most recent sends to take back those
// sent at or after a stream's start.
#include <array>
#include <optional>
#include <vector>

#include "harness/oracle/phase_index.hpp"

namespace camleak::oracle {

class SentCounter {
 public:
  static constexpr size_t kRecent = 64;

  explicit SentCounter(size_t phases) : per_phase_(phases, 0) {}

  void add(const PhaseIndex& phases, Micros at, uint64_t frames);
  void add_to_phase(size_t phase, uint64_t frames) { per_phase_[phase] += frames; }
  // Per-phase counts of the frames sent before `t`, as far as the recent sends tell.
  std::vector<uint64_t> sent_before(const PhaseIndex& phases, Micros t) const;
  const std::vector<uint64_t>& per_phase() const { return per_phase_; }
  // When the camera last sent a frame (via add()); absent before its first.
  std::optional<Micros> last_sent() const { return last_sent_; }

 private:
  struct Send {
    Micros at{0};
    uint64_t frames = 0;
  };
  std::vector<uint64_t> per_phase_;
  std::array<Send, kRecent> recent_{};
  size_t next_ = 0;
  size_t size_ = 0;
  std::optional<Micros> last_sent_;
};

}  // namespace camleak::oracle
