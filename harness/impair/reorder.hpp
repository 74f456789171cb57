#pragma once
// reorder (datagram, netem): datagrams are held for `delay` ms, except that, once `gap` - 1
// datagrams have been delayed, the next one is sent at once with `probability` % (optionally
// correlated), overtaking the delayed ones (netem's "reorder PROB [CORR] gap GAP" with
// "delay"). Holds at most `limit` datagrams (netem's queue limit); more are dropped and counted.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class ReorderStage final : public Stage {
 public:
  ReorderStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "reorder"; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override { return queue_.pop(now); }
  std::optional<Micros> next_wakeup(Micros) const override { return queue_.next_ready(); }
  // Held datagrams keep their release times.
  void reconfigure(const Attributes& attributes) override;
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 private:
  double probability_ = 0;
  uint64_t gap_ = 1;
  Micros delay_{0};
  size_t limit_ = 1000;
  uint64_t counter_ = 0;  // datagrams delayed since the last one sent at once
  CorrelatedUniform uniform_;
  ScheduledQueue queue_;
};

}  // namespace camleak::impair
