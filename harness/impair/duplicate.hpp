#pragma once
// duplicate (datagram, netem): sends a datagram twice with `probability` %, optionally
// correlated. The copy follows the original at once.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"

namespace camleak::impair {

class DuplicateStage final : public QueuedStage<OrderedQueue> {
 public:
  struct Settings : StageSettings {
    Chance chance;
  };

  DuplicateStage(StageContext context, const Settings& settings);

  std::string_view type() const override { return "duplicate"; }
  void push(Packet packet, Micros now) override;
  void reconfigure(const StageSettings& settings) override;

 private:
  CorrelatedChance chance_;
};

}  // namespace camleak::impair
