#include "harness/impair/corrupt.hpp"

#include "harness/impair/settings_pieces.hpp"

namespace camleak::impair {

void CorruptStage::push(Packet packet, Micros now) {
  if (packet.kind == Packet::Kind::data && !packet.bytes.empty() && chance_.decide(context_.rng)) {
    const uint64_t byte = context_.rng.below(packet.bytes.size());
    const uint64_t bit = context_.rng.below(8);
    packet.bytes[byte] ^= static_cast<uint8_t>(1u << bit);
    note(StageAction::corrupted, now, packet.bytes.size());
  }
  queue_.push(std::move(packet), now);
}

Fields<CorruptStage::Settings> CorruptStage::fields() {
  return within(&Settings::chance, chance_fields("Chance that a datagram is corrupted."));
}

}  // namespace camleak::impair
