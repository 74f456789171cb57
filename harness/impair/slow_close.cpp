#include "harness/impair/slow_close.hpp"

#include "harness/impair/settings_fields.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

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
  using S = SlowCloseStage::Settings;
  return stage_type_of<SlowCloseStage>(
      {.name = "slow_close",
       .transport = Transport::stream,
       .doc = "Delays the close of the connection; data passes untouched (Toxiproxy)."},
      {milliseconds_field(&S::delay, "delay", "How long the close signal is held back.")});
}

}  // namespace camleak::impair
