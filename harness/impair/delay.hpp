#pragma once
// delay (datagram, netem): each datagram is held for delay +/- jitter (netem's distributions and
// correlation). As under netem, jitter lets datagrams overtake each other unless
// `preserve_order` is set. Holds at most `limit` datagrams; more are dropped and counted.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class DelayStage final : public Stage {
 public:
  DelayStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "delay"; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override { return queue_.pop(now); }
  std::optional<Micros> next_wakeup(Micros) const override { return queue_.next_ready(); }
  // Held datagrams keep their release times.
  void reconfigure(const Attributes& attributes) override;
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 private:
  DelaySampler sampler_;
  bool preserve_order_ = false;
  size_t limit_ = 1000;
  Micros last_ready_{Micros::min()};
  ScheduledQueue queue_;
};

}  // namespace camleak::impair
