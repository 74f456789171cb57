#include "harness/impair/stage.hpp"

#include "harness/core/event_log.hpp"

namespace camleak::impair {

void Stage::note(StageAction action, Micros now, uint64_t bytes) {
  count(action, bytes);
  if (context_.events == nullptr) return;
  context_.events->record(FaultEvent{.time = now,
                                     .link = context_.link,
                                     .connection = context_.connection,
                                     .direction = std::string(to_string(context_.direction)),
                                     .stage = context_.name,
                                     .action = std::string(to_string(action)),
                                     .bytes = bytes});
}

}  // namespace camleak::impair
