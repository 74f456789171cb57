#include "harness/impair/slow_close.hpp"

#include "harness/impair/attribute_access.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

SlowCloseStage::Settings SlowCloseStage::Settings::parse(const Attributes& attributes) {
  Settings s;
  s.delay = milliseconds_attribute(attributes, "delay", 0);
  return s;
}

SlowCloseStage::SlowCloseStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)), delay_(settings.delay) {}

void SlowCloseStage::push(Packet packet, Micros now) {
  Micros ready = now;
  if (packet.kind != Packet::Kind::data) {
    ready += delay_;
    note("close_delayed", now);
  }
  queue_.push(std::move(packet), ready);
}

void SlowCloseStage::reconfigure(const StageSettings& settings) {
  delay_ = settings_as<Settings>(settings).delay;
}

StageType slow_close_stage_type() {
  return StageType{
      .name = "slow_close",
      .transport = Transport::stream,
      .doc = "Delays the close of the connection; data passes untouched (Toxiproxy).",
      .attributes = {integer_spec("delay", "ms", 0, "How long the close signal is held back.")},
      .parse = parser_of<SlowCloseStage>(),
      .create = factory_of<SlowCloseStage>()};
}

}  // namespace camleak::impair
