#include "harness/impair/passthrough.hpp"

namespace camleak::impair {

void PassthroughStage::push(Packet packet, Micros now) {
  count(StageAction::passed, packet.bytes.size());
  queue_.push(std::move(packet), now);
}

std::optional<Micros> PassthroughStage::next_wakeup(Micros now) const {
  if (queue_.empty()) return std::nullopt;
  return std::min(now, *queue_.next_ready());
}

}  // namespace camleak::impair
