#include "harness/impair/delay.hpp"

#include <algorithm>

#include "harness/impair/attribute_access.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

DelayStage::Settings DelayStage::Settings::parse(const Attributes& a) {
  Settings s;
  s.delay = milliseconds_attribute(a, "delay", 0);
  s.jitter = milliseconds_attribute(a, "jitter", 0);
  s.distribution = parse_distribution(string_attribute(a, "distribution", "uniform"))
                       .value_or(Distribution::uniform);
  s.correlation = percent_attribute(a, "correlation", 0);
  s.preserve_order = boolean_attribute(a, "preserve_order", false);
  s.limit = static_cast<size_t>(integer_attribute(a, "limit", 1000));
  return s;
}

DelayStage::DelayStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  reconfigure(settings);
}

void DelayStage::reconfigure(const StageSettings& settings) {
  settings_ = settings_as<Settings>(settings);
  sampler_ = DelaySampler(settings_.delay, settings_.jitter, settings_.distribution,
                          settings_.correlation);
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
  return StageType{
      .name = "delay",
      .transport = Transport::datagram,
      .doc =
          "Delays datagrams by delay +/- jitter; jitter reorders unless preserve_order "
          "(netem delay).",
      .attributes =
          {number_spec("delay", "ms", 0, "Delay added to every datagram."),
           number_spec("jitter", "ms", 0,
                       "Spread of the delay: +/- jitter for uniform, the standard deviation "
                       "otherwise."),
           choice_spec("distribution", "uniform", distribution_choices(),
                       "Shape of the delay around delay, as netem's tables."),
           percent_spec("correlation", 0,
                        "How much each delay follows the previous one (keeps the distribution)."),
           boolean_spec("preserve_order", false,
                        "Never let a datagram overtake an earlier one, whatever the jitter."),
           integer_spec("limit", "packets", 1000,
                        "Most datagrams held; more are dropped (netem's limit).", 1.0)},
      .parse = parser_of<DelayStage>(),
      .create = factory_of<DelayStage>()};
}

}  // namespace camleak::impair
