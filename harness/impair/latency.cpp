#include "harness/impair/latency.hpp"

#include "harness/impair/attribute_access.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {
namespace {

DelaySampler make_sampler(const LatencyStage::Settings& s) {
  return DelaySampler(s.latency, s.jitter, s.distribution, s.correlation);
}

}  // namespace

LatencyStage::Settings LatencyStage::Settings::parse(const Attributes& a) {
  Settings s;
  s.latency = milliseconds_attribute(a, "latency", 0);
  s.jitter = milliseconds_attribute(a, "jitter", 0);
  s.distribution = parse_distribution(string_attribute(a, "distribution", "uniform"))
                       .value_or(Distribution::uniform);
  s.correlation = percent_attribute(a, "correlation", 0);
  return s;
}

LatencyStage::LatencyStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)), sampler_(make_sampler(settings)) {}

void LatencyStage::push(Packet packet, Micros now) {
  Micros ready = now;
  if (packet.kind == Packet::Kind::data) {
    const Micros delay = sampler_.sample(context_.rng);
    ready += delay;
    if (delay.count() > 0) count("delayed", packet.bytes.size());
  }
  // Close and reset carry no delay of their own but still leave behind the data before them.
  queue_.push(std::move(packet), ready);
}

void LatencyStage::reconfigure(const StageSettings& settings) {
  sampler_ = make_sampler(settings_as<Settings>(settings));
}

StageType latency_stage_type() {
  return StageType{
      .name = "latency",
      .transport = Transport::stream,
      .doc = "Delays each chunk by latency +/- jitter; chunks keep their order (Toxiproxy).",
      .attributes = {integer_spec("latency", "ms", 0, "Delay added to every chunk."),
                     integer_spec(
                         "jitter", "ms", 0,
                         "Spread of the delay: +/- jitter for uniform, the standard deviation "
                         "otherwise."),
                     choice_spec("distribution", "uniform", distribution_choices(),
                                 "Shape of the delay around latency, as netem's tables."),
                     percent_spec("correlation", 0,
                                  "How much each delay follows the previous one (keeps the "
                                  "distribution).")},
      .parse = parser_of<LatencyStage>(),
      .create = factory_of<LatencyStage>()};
}

}  // namespace camleak::impair
