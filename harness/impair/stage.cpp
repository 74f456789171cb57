#include "harness/impair/stage.hpp"

#include "harness/core/event_log.hpp"

namespace camleak::impair {

void Stage::count(std::string_view action, uint64_t bytes) {
  std::string key(action);
  ++counters_[key];
  if (bytes != 0) counters_[key + "_bytes"] += bytes;
}

void Stage::note(std::string_view action, Micros now, uint64_t bytes) {
  count(action, bytes);
  if (context_.events == nullptr) return;
  context_.events->record(FaultEvent{.time = now,
                                     .link = context_.link,
                                     .connection = context_.connection,
                                     .direction = std::string(to_string(context_.direction)),
                                     .stage = context_.name,
                                     .action = std::string(action),
                                     .bytes = bytes});
}

}  // namespace camleak::impair
