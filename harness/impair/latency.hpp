#pragma once
// latency (stream, Toxiproxy): every chunk is delayed by latency +/- jitter from the moment it
// arrives, and chunks leave in the order they came (a later chunk never overtakes an earlier
// one, as in Toxiproxy, which sleeps per chunk in order). Our additions: netem's delay
// distributions and a correlation between consecutive delays.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class LatencyStage final : public Stage {
 public:
  LatencyStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "latency"; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override { return queue_.pop(now); }
  std::optional<Micros> next_wakeup(Micros) const override { return queue_.next_ready(); }
  // Held chunks keep the release time they were given; new chunks get the new delay.
  void reconfigure(const Attributes& attributes) override;
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 private:
  DelaySampler sampler_;
  OrderedQueue queue_;
};

}  // namespace camleak::impair
