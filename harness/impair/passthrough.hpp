#pragma once
// The stage at the head of every chain (Toxiproxy's noop toxic): forwards everything at once.
// It gives the chain one place where all traffic is counted ("passed", "passed_bytes").
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"

namespace camleak::impair {

class PassthroughStage final : public QueuedStage<OrderedQueue> {
 public:
  static constexpr std::string_view kName = "passthrough";

  explicit PassthroughStage(StageContext context) : QueuedStage(std::move(context)) {}

  void push(Packet packet, Micros now) override;
  std::optional<Micros> next_wakeup(Micros now) const override;
  void reconfigure(const StageSettings&) override {}
};

}  // namespace camleak::impair
