#pragma once
// duplicate (datagram, netem): sends a datagram twice with `probability` %, optionally
// correlated. The copy follows the original at once.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class DuplicateStage final : public Stage {
 public:
  DuplicateStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "duplicate"; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override { return queue_.pop(now); }
  std::optional<Micros> next_wakeup(Micros) const override { return queue_.next_ready(); }
  void reconfigure(const Attributes& attributes) override;
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 private:
  double probability_ = 0;
  CorrelatedUniform uniform_;
  OrderedQueue queue_;
};

}  // namespace camleak::impair
