#pragma once
// latency (stream, Toxiproxy): every chunk is delayed by latency +/- jitter from the moment it
// arrives, and chunks leave in the order they came (a later chunk never overtakes an earlier
// one, as in Toxiproxy, which sleeps per chunk in order). Our additions: netem's delay
// distributions and a correlation between consecutive delays.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

class LatencyStage final : public QueuedStage<OrderedQueue> {
 public:
  struct Settings : StageSettings {
    DelayShape delay;  // mean: the attribute `latency`
  };
  static constexpr StageDescription kDescription{
      .name = "latency",
      .transport = Transport::stream,
      .doc = "Delays each chunk by latency +/- jitter; chunks keep their order (Toxiproxy)."};
  static Fields<Settings> fields();

  LatencyStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  // Held chunks keep the release time they were given; new chunks get the new delay.
  void reconfigure(const StageSettings& settings) override;

 private:
  DelaySampler sampler_;
};

}  // namespace camleak::impair
