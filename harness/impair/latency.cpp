#include "harness/impair/latency.hpp"

#include "harness/impair/settings_pieces.hpp"

namespace camleak::impair {

LatencyStage::LatencyStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)), sampler_(settings.delay) {}

void LatencyStage::push(Packet packet, Micros now) {
  Micros ready = now;
  if (packet.kind == Packet::Kind::data) {
    const Micros delay = sampler_.sample(context_.rng);
    ready += delay;
    if (delay.count() > 0) count(StageAction::delayed, packet.bytes.size());
  }
  // Close and reset carry no delay of their own but still leave behind the data before them.
  queue_.push(std::move(packet), ready);
}

void LatencyStage::reconfigure(const StageSettings& settings) {
  sampler_ = DelaySampler(settings_as<Settings>(settings).delay);
}

Fields<LatencyStage::Settings> LatencyStage::fields() {
  return within(&Settings::delay, delay_shape_fields("latency", "Delay added to every chunk.",
                                                     MillisecondPrecision::whole));
}

}  // namespace camleak::impair
