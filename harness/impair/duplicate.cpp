#include "harness/impair/duplicate.hpp"

#include "harness/impair/settings_pieces.hpp"

namespace camleak::impair {

void DuplicateStage::push(Packet packet, Micros now) {
  const bool twice = packet.kind == Packet::Kind::data && chance_.decide(context_.rng);
  if (twice) {
    note(StageAction::duplicated, now, packet.bytes.size());
    Packet copy = packet;  // the one copy this stage exists to make
    queue_.push(std::move(packet), now);
    queue_.push(std::move(copy), now);
    return;
  }
  queue_.push(std::move(packet), now);
}

Fields<DuplicateStage::Settings> DuplicateStage::fields() {
  return within(&Settings::chance, chance_fields("Chance that a datagram is duplicated."));
}

}  // namespace camleak::impair
