#include "harness/impair/slow_close.hpp"

#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

SlowCloseStage::SlowCloseStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)), delay_(settings.delay) {}

void SlowCloseStage::push(Packet packet, Micros now) {
  Micros ready = now;
  if (packet.kind != Packet::Kind::data) {
    ready += delay_;
    note(StageAction::close_delayed, now);
  }
  queue_.push(std::move(packet), ready);
}

void SlowCloseStage::reconfigure(const StageSettings& settings) {
  delay_ = settings_as<Settings>(settings).delay;
}

Fields<SlowCloseStage::Settings> SlowCloseStage::fields() {
  return Fields<Settings>{
      milliseconds_field(&Settings::delay, "delay", "How long the close signal is held back.")};
}

}  // namespace camleak::impair
