#include "harness/impair/stage_action.hpp"

namespace camleak::impair {

namespace {

// In the enum's order.
constexpr std::array<std::string_view, kStageActionCount> kNames{
    "passed",    "delayed",    "throttled", "sliced",  "slices",        "truncated",
    "blackhole", "blackholed", "discarded", "dropped", "duplicated",    "corrupted",
    "reordered", "overflow",   "armed",     "close",   "close_delayed", "reset"};

}  // namespace

std::string_view to_string(StageAction action) {
  return kNames[static_cast<size_t>(action)];
}

void ActionCounts::add(const ActionCounts& other) {
  for (size_t i = 0; i < kStageActionCount; ++i) {
    times_[i] += other.times_[i];
    bytes_[i] += other.bytes_[i];
  }
}

Counters ActionCounts::named() const {
  Counters out;
  for (size_t i = 0; i < kStageActionCount; ++i) {
    const std::string name(to_string(static_cast<StageAction>(i)));
    if (times_[i] != 0) out[name] = times_[i];
    if (bytes_[i] != 0) out[name + "_bytes"] = bytes_[i];
  }
  return out;
}

}  // namespace camleak::impair
