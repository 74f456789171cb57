#include "harness/impair/delay.hpp"

#include <algorithm>

#include "harness/impair/attribute_access.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

DelayStage::DelayStage(StageContext context, const Attributes& attributes)
    : Stage(std::move(context)) {
  reconfigure(attributes);
}

void DelayStage::reconfigure(const Attributes& a) {
  sampler_ =
      DelaySampler(milliseconds_attribute(a, "delay", 0), milliseconds_attribute(a, "jitter", 0),
                   parse_distribution(string_attribute(a, "distribution", "uniform"))
                       .value_or(Distribution::uniform),
                   percent_attribute(a, "correlation", 0));
  preserve_order_ = boolean_attribute(a, "preserve_order", false);
  limit_ = static_cast<size_t>(integer_attribute(a, "limit", 1000));
}

void DelayStage::push(Packet packet, Micros now) {
  Micros ready = now;
  if (packet.kind == Packet::Kind::data) {
    if (queue_.size() >= limit_) {
      note("overflow", now, packet.bytes.size());
      return;
    }
    const Micros delay = sampler_.sample(context_.rng);
    ready += delay;
    if (delay.count() > 0) count("delayed", packet.bytes.size());
  }
  // Equal release times leave in arrival order, so max() is all preserve_order needs.
  if (preserve_order_) ready = std::max(ready, last_ready_);
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
      .create = factory_of<DelayStage>()};
}

}  // namespace camleak::impair
