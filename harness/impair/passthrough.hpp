#pragma once
// The stage at the head of every chain (Toxiproxy's noop toxic): forwards everything at once.
// It gives the chain one place where all traffic is counted ("passed", "passed_bytes").
#include "harness/impair/queues.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class PassthroughStage final : public Stage {
 public:
  static constexpr std::string_view kName = "passthrough";

  explicit PassthroughStage(StageContext context) : Stage(std::move(context)) {}

  std::string_view type() const override { return kName; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override;
  std::optional<Micros> next_wakeup(Micros now) const override;
  void reconfigure(const Attributes&) override {}
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 private:
  OrderedQueue queue_;
};

}  // namespace camleak::impair
