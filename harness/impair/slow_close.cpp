#include "harness/impair/slow_close.hpp"

#include "harness/impair/attribute_access.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

SlowCloseStage::SlowCloseStage(StageContext context, const Attributes& attributes)
    : Stage(std::move(context)), delay_(milliseconds_attribute(attributes, "delay", 0)) {}

void SlowCloseStage::push(Packet packet, Micros now) {
  Micros ready = now;
  if (packet.kind != Packet::Kind::data) {
    ready += delay_;
    note("close_delayed", now);
  }
  queue_.push(std::move(packet), ready);
}

void SlowCloseStage::reconfigure(const Attributes& attributes) {
  delay_ = milliseconds_attribute(attributes, "delay", static_cast<double>(delay_.count()) / 1000);
}

StageType slow_close_stage_type() {
  return StageType{
      .name = "slow_close",
      .transport = Transport::stream,
      .doc = "Delays the close of the connection; data passes untouched (Toxiproxy).",
      .attributes = {integer_spec("delay", "ms", 0, "How long the close signal is held back.")},
      .create = factory_of<SlowCloseStage>()};
}

}  // namespace camleak::impair
