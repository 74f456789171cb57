#pragma once
// delay (datagram, netem): each datagram is held for delay +/- jitter (netem's distributions and
// correlation). As under netem, jitter lets datagrams overtake each other unless
// `preserve_order` is set. Holds at most `limit` datagrams; more are dropped and counted.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"

namespace camleak::impair {

class DelayStage final : public QueuedStage<ScheduledQueue> {
 public:
  struct Settings : StageSettings {
    DelayShape delay;  // mean: the attribute `delay`
    bool preserve_order = false;
    size_t limit = 1000;
  };

  DelayStage(StageContext context, const Settings& settings);

  std::string_view type() const override { return "delay"; }
  void push(Packet packet, Micros now) override;
  // Held datagrams keep their release times.
  void reconfigure(const StageSettings& settings) override;

 private:
  Settings settings_;
  DelaySampler sampler_;
  Micros last_ready_{Micros::min()};
};

}  // namespace camleak::impair
