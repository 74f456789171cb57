#include "harness/impair/corrupt.hpp"

#include "harness/impair/attribute_access.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

CorruptStage::Settings CorruptStage::Settings::parse(const Attributes& attributes) {
  Settings s;
  s.probability = percent_attribute(attributes, "probability", 0);
  s.correlation = percent_attribute(attributes, "correlation", 0);
  return s;
}

CorruptStage::CorruptStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  reconfigure(settings);
}

void CorruptStage::reconfigure(const StageSettings& settings) {
  settings_ = settings_as<Settings>(settings);
  uniform_.set_correlation(settings_.correlation);
}

void CorruptStage::push(Packet packet, Micros now) {
  if (packet.kind == Packet::Kind::data && !packet.bytes.empty() &&
      uniform_.decide(context_.rng, settings_.probability)) {
    const uint64_t byte = context_.rng.below(packet.bytes.size());
    const uint64_t bit = context_.rng.below(8);
    packet.bytes[byte] ^= static_cast<uint8_t>(1u << bit);
    note("corrupted", now, packet.bytes.size());
  }
  queue_.push(std::move(packet), now);
}

StageType corrupt_stage_type() {
  return StageType{
      .name = "corrupt",
      .transport = Transport::datagram,
      .doc = "Flips one random bit in datagrams (netem).",
      .attributes = {percent_spec("probability", 0, "Chance that a datagram is corrupted."),
                     percent_spec("correlation", 0,
                                  "How much each decision follows the previous one.")},
      .parse = parser_of<CorruptStage>(),
      .create = factory_of<CorruptStage>()};
}

}  // namespace camleak::impair
