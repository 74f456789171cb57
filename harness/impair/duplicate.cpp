#include "harness/impair/duplicate.hpp"

#include "harness/impair/settings_pieces.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

DuplicateStage::DuplicateStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  reconfigure(settings);
}

void DuplicateStage::reconfigure(const StageSettings& settings) {
  chance_.set(settings_as<Settings>(settings).chance);
}

void DuplicateStage::push(Packet packet, Micros now) {
  const bool twice = packet.kind == Packet::Kind::data && chance_.decide(context_.rng);
  if (twice) {
    note("duplicated", now, packet.bytes.size());
    Packet copy = packet;  // the one copy this stage exists to make
    queue_.push(std::move(packet), now);
    queue_.push(std::move(copy), now);
    return;
  }
  queue_.push(std::move(packet), now);
}

StageType duplicate_stage_type() {
  using S = DuplicateStage::Settings;
  return stage_type_of<DuplicateStage>(
      {.name = "duplicate",
       .transport = Transport::datagram,
       .doc = "Sends datagrams twice (netem)."},
      within(&S::chance, chance_fields("Chance that a datagram is duplicated.")));
}

}  // namespace camleak::impair
