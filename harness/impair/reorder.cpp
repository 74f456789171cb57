#include "harness/impair/reorder.hpp"

#include "harness/impair/attribute_access.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

ReorderStage::Settings ReorderStage::Settings::parse(const Attributes& attributes) {
  Settings s;
  s.probability = percent_attribute(attributes, "probability", 0);
  s.correlation = percent_attribute(attributes, "correlation", 0);
  s.gap = static_cast<uint64_t>(integer_attribute(attributes, "gap", 1));
  s.delay = milliseconds_attribute(attributes, "delay", 10);
  s.limit = static_cast<size_t>(integer_attribute(attributes, "limit", 1000));
  return s;
}

ReorderStage::ReorderStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  reconfigure(settings);
}

void ReorderStage::reconfigure(const StageSettings& settings) {
  settings_ = settings_as<Settings>(settings);
  uniform_.set_correlation(settings_.correlation);
}

void ReorderStage::push(Packet packet, Micros now) {
  if (packet.kind != Packet::Kind::data) {
    queue_.push(std::move(packet), now);
    return;
  }
  if (queue_.size() >= settings_.limit) {
    note("overflow", now, packet.bytes.size());
    return;
  }
  // netem: not yet `gap` - 1 delayed, or the roll says no: delay; otherwise send at once.
  if (counter_ + 1 < settings_.gap || !uniform_.decide(context_.rng, settings_.probability)) {
    ++counter_;
    count("delayed", packet.bytes.size());
    queue_.push(std::move(packet), now + settings_.delay);
    return;
  }
  counter_ = 0;
  note("reordered", now, packet.bytes.size());
  queue_.push(std::move(packet), now);
}

StageType reorder_stage_type() {
  return StageType{
      .name = "reorder",
      .transport = Transport::datagram,
      .doc =
          "Delays datagrams by delay ms but sends some at once, ahead of the delayed ones "
          "(netem reorder).",
      .attributes = {percent_spec("probability", 0,
                                  "Chance that an eligible datagram is sent at once."),
                     percent_spec("correlation", 0,
                                  "How much each decision follows the previous one."),
                     integer_spec("gap", "packets", 1,
                                  "Only after gap - 1 delayed datagrams may one go at once.", 1.0),
                     number_spec("delay", "ms", 10, "Delay of the datagrams not reordered.", 0.0),
                     integer_spec("limit", "packets", 1000,
                                  "Most datagrams held; more are dropped (netem's limit).", 1.0)},
      .parse = parser_of<ReorderStage>(),
      .create = factory_of<ReorderStage>()};
}

}  // namespace camleak::impair
