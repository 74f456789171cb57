#include "harness/impair/corrupt.hpp"

#include "harness/impair/settings_pieces.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

CorruptStage::CorruptStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  reconfigure(settings);
}

void CorruptStage::reconfigure(const StageSettings& settings) {
  chance_.set(settings_as<Settings>(settings).chance);
}

void CorruptStage::push(Packet packet, Micros now) {
  if (packet.kind == Packet::Kind::data && !packet.bytes.empty() && chance_.decide(context_.rng)) {
    const uint64_t byte = context_.rng.below(packet.bytes.size());
    const uint64_t bit = context_.rng.below(8);
    packet.bytes[byte] ^= static_cast<uint8_t>(1u << bit);
    note("corrupted", now, packet.bytes.size());
  }
  queue_.push(std::move(packet), now);
}

StageType corrupt_stage_type() {
  using S = CorruptStage::Settings;
  return stage_type_of<CorruptStage>(
      {.name = "corrupt",
       .transport = Transport::datagram,
       .doc = "Flips one random bit in datagrams (netem)."},
      within(&S::chance, chance_fields("Chance that a datagram is corrupted.")));
}

}  // namespace camleak::impair
