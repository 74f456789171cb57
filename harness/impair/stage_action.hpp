#pragma once
// What a stage can do to the traffic, as a closed set: every stage counts its actions by this
// enum (no string keys built per packet, no misspelt counter), and the reports see them under
// their names ("dropped", "dropped_bytes", ...), which are part of the control API and
// report.json.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
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
  count_,         // not an action: how many there are (a new action goes above)
};
inline constexpr size_t kStageActionCount = static_cast<size_t>(StageAction::count_);

std::string_view to_string(StageAction action);

// Counters by action name, as reports and the control API show them: "<action>" (how many
// times) and "<action>_bytes" (bytes affected), the non-zero ones only.
using Counters = std::map<std::string, uint64_t>;

// How often a stage took each action, and the bytes each affected. The table is allocated at
// the first action: the stages of an idle connection (most of a large fleet's) cost one pointer
// each, as the empty map this replaced did.
class ActionCounts {
 public:
  ActionCounts() = default;
  ActionCounts(const ActionCounts& other)
      : table_(other.table_ ? std::make_unique<Table>(*other.table_) : nullptr) {}
  ActionCounts& operator=(const ActionCounts& other) {
    table_ = other.table_ ? std::make_unique<Table>(*other.table_) : nullptr;
    return *this;
  }
  ActionCounts(ActionCounts&&) noexcept = default;
  ActionCounts& operator=(ActionCounts&&) noexcept = default;

  void add(StageAction action, uint64_t times, uint64_t bytes = 0) {
    Table& t = table();
    t.times[index(action)] += times;
    t.bytes[index(action)] += bytes;
  }
  void add(const ActionCounts& other);
  uint64_t times(StageAction action) const { return table_ ? table_->times[index(action)] : 0; }
  uint64_t bytes(StageAction action) const { return table_ ? table_->bytes[index(action)] : 0; }
  Counters named() const;

 private:
  struct Table {
    std::array<uint64_t, kStageActionCount> times{};
    std::array<uint64_t, kStageActionCount> bytes{};
  };
  static size_t index(StageAction action) { return static_cast<size_t>(action); }
  Table& table() {
    if (!table_) table_ = std::make_unique<Table>();
    return *table_;
  }

  std::unique_ptr<Table> table_;
};

}  // namespace camleak::impair
