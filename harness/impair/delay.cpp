#include "harness/impair/delay.hpp"

#include <algorithm>

#include "harness/impair/settings_pieces.hpp"

namespace camleak::impair {

DelayStage::DelayStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  reconfigure(settings);
}

void DelayStage::reconfigure(const StageSettings& settings) {
  settings_ = settings_as<Settings>(settings);
  sampler_ = DelaySampler(settings_.delay);
}

void DelayStage::push(Packet packet, Micros now) {
  Micros ready = now;
  if (packet.kind == Packet::Kind::data) {
    if (queue_.size() >= settings_.limit) {
      note(StageAction::overflow, now, packet.bytes.size());
      return;
    }
    const Micros delay = sampler_.sample(context_.rng);
    ready += delay;
    if (delay.count() > 0) count(StageAction::delayed, packet.bytes.size());
  }
  // Equal release times leave in arrival order, so max() is all preserve_order needs.
  if (settings_.preserve_order) ready = std::max(ready, last_ready_);
  last_ready_ = std::max(last_ready_, ready);
  queue_.push(std::move(packet), ready);
}

Fields<DelayStage::Settings> DelayStage::fields() {
  return fields_of<Settings>(
      within(&Settings::delay, delay_shape_fields("delay", "Delay added to every datagram.",
                                                  MillisecondPrecision::fractional)),
      boolean_field(&Settings::preserve_order, "preserve_order",
                    "Never let a datagram overtake an earlier one, whatever the "
                    "jitter."),
      integer_field(&Settings::limit, "limit", "packets",
                    "Most datagrams held; more are dropped (netem's limit).", 1.0));
}

}  // namespace camleak::impair
