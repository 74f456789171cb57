#include "harness/impair/stage_action.hpp"

namespace camleak::impair {

namespace {

// In the enum's order; they are names of the control API and report.json, so they never change
// (stage_action_test pins each one).
constexpr std::array<std::string_view, kStageActionCount> kNames{
    "passed",    "delayed",    "throttled", "sliced",  "slices",        "truncated",
    "blackhole", "blackholed", "discarded", "dropped", "duplicated",    "corrupted",
    "reordered", "overflow",   "armed",     "close",   "close_delayed", "reset"};

static_assert(!kNames.back().empty(), "every StageAction needs its name in kNames");

}  // namespace

std::string_view to_string(StageAction action) {
  return kNames[static_cast<size_t>(action)];
}

void ActionCounts::add(const ActionCounts& other) {
  if (!other.table_) return;
  Table& t = table();
  for (size_t i = 0; i < kStageActionCount; ++i) {
    t.times[i] += other.table_->times[i];
    t.bytes[i] += other.table_->bytes[i];
  }
}

Counters ActionCounts::named() const {
  Counters out;
  if (!table_) return out;
  for (size_t i = 0; i < kStageActionCount; ++i) {
    const std::string name(to_string(static_cast<StageAction>(i)));
    if (table_->times[i] != 0) out[name] = table_->times[i];
    if (table_->bytes[i] != 0) out[name + "_bytes"] = table_->bytes[i];
  }
  return out;
}

}  // namespace camleak::impair
