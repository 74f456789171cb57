#include "harness/impair/delay.hpp"

#include <algorithm>

#include "harness/impair/settings_pieces.hpp"
#include "harness/impair/stages.hpp"

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
      note("overflow", now, packet.bytes.size());
      return;
    }
    const Micros delay = sampler_.sample(context_.rng);
    ready += delay;
    if (delay.count() > 0) count("delayed", packet.bytes.size());
  }
  // Equal release times leave in arrival order, so max() is all preserve_order needs.
  if (settings_.preserve_order) ready = std::max(ready, last_ready_);
  last_ready_ = std::max(last_ready_, ready);
  queue_.push(std::move(packet), ready);
}

StageType delay_stage_type() {
  using S = DelayStage::Settings;
  return stage_type_of<DelayStage>(
      {.name = "delay",
       .transport = Transport::datagram,
       .doc = "Delays datagrams by delay +/- jitter; jitter reorders unless preserve_order "
              "(netem delay)."},
      fields_of<S>(within(&S::delay, delay_shape_fields("delay", "Delay added to every datagram.",
                                                        MillisecondPrecision::fractional)),
                   boolean_field(&S::preserve_order, "preserve_order",
                                 "Never let a datagram overtake an earlier one, whatever the "
                                 "jitter."),
                   integer_field(&S::limit, "limit", "packets",
                                 "Most datagrams held; more are dropped (netem's limit).", 1.0)));
}

}  // namespace camleak::impair
