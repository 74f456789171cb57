#include "harness/impair/duplicate.hpp"

#include "harness/impair/attribute_access.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

DuplicateStage::Settings DuplicateStage::Settings::parse(const Attributes& attributes) {
  Settings s;
  s.probability = percent_attribute(attributes, "probability", 0);
  s.correlation = percent_attribute(attributes, "correlation", 0);
  return s;
}

DuplicateStage::DuplicateStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  reconfigure(settings);
}

void DuplicateStage::reconfigure(const StageSettings& settings) {
  settings_ = settings_as<Settings>(settings);
  uniform_.set_correlation(settings_.correlation);
}

void DuplicateStage::push(Packet packet, Micros now) {
  const bool twice =
      packet.kind == Packet::Kind::data && uniform_.decide(context_.rng, settings_.probability);
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
  return StageType{
      .name = "duplicate",
      .transport = Transport::datagram,
      .doc = "Sends datagrams twice (netem).",
      .attributes = {percent_spec("probability", 0, "Chance that a datagram is duplicated."),
                     percent_spec("correlation", 0,
                                  "How much each decision follows the previous one.")},
      .parse = parser_of<DuplicateStage>(),
      .create = factory_of<DuplicateStage>()};
}

}  // namespace camleak::impair
