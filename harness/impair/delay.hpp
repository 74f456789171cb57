#pragma once
// delay (datagram, netem): each datagram is held for delay +/- jitter (netem's distributions and
// correlation). As under netem, jitter lets datagrams overtake each other unless
// `preserve_order` is set. Holds at most `limit` datagrams; more are dropped and counted.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

class DelayStage final : public QueuedStage<ScheduledQueue> {
 public:
  struct Settings : StageSettings {
    DelayShape delay;  // mean: the attribute `delay`
    bool preserve_order = false;
    size_t limit = 1000;
  };
  static constexpr StageDescription kDescription{
      .name = "delay",
      .transport = Transport::datagram,
      .doc =
          "Delays datagrams by delay +/- jitter; jitter reorders unless preserve_order (netem "
          "delay)."};
  static Fields<Settings> fields();

  DelayStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  // Held datagrams keep their release times.
  void reconfigure(const StageSettings& settings) override;

 private:
  Settings settings_;
  DelaySampler sampler_;
  Micros last_ready_{Micros::min()};
};

}  // namespace camleak::impair
