#pragma once
// What a stage can do to the traffic, as a closed set: every stage counts its actions by this
// enum (no string keys built per packet, no misspelt counter), and the reports see them under
// their names ("dropped", "dropped_bytes", ...), which are part of the control API and
// report.json.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace camleak::impair {

enum class StageAction : uint8_t {
  passed,         // passthrough: let through
  delayed,        // latency, delay, reorder: held back
  throttled,      // bandwidth, rate: paced
  sliced,         // slicer: a chunk split...
  slices,         // ...into this many pieces
  truncated,      // limit_data: cut at the limit
  blackhole,      // timeout: started holding everything
  blackholed,     // timeout: a packet held
  discarded,      // after a close or reset, or by down: thrown away
  dropped,        // loss
  duplicated,     // duplicate
  corrupted,      // corrupt
  reordered,      // reorder: sent ahead of the delayed ones
  overflow,       // a queue at its limit: dropped
  armed,          // reset_peer: the first data started its timer
  close,          // a close (FIN) emitted
  close_delayed,  // slow_close: a close held back
  reset,          // a reset (RST) emitted
};
inline constexpr size_t kStageActionCount = static_cast<size_t>(StageAction::reset) + 1;

std::string_view to_string(StageAction action);

// Counters by action name, as reports and the control API show them: "<action>" (how many
// times) and "<action>_bytes" (bytes affected), the non-zero ones only.
using Counters = std::map<std::string, uint64_t>;

// How often a stage took each action, and the bytes each affected.
class ActionCounts {
 public:
  void add(StageAction action, uint64_t times, uint64_t bytes = 0) {
    times_[index(action)] += times;
    bytes_[index(action)] += bytes;
  }
  void add(const ActionCounts& other);
  uint64_t times(StageAction action) const { return times_[index(action)]; }
  uint64_t bytes(StageAction action) const { return bytes_[index(action)]; }
  Counters named() const;

 private:
  static size_t index(StageAction action) { return static_cast<size_t>(action); }

  std::array<uint64_t, kStageActionCount> times_{};
  std::array<uint64_t, kStageActionCount> bytes_{};
};

}  // namespace camleak::impair
