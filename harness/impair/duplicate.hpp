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
    double probability = 0;  // [0, 1]
    double correlation = 0;  // [0, 1]
    static Settings parse(const Attributes& attributes);
  };

  DuplicateStage(StageContext context, const Settings& settings);

  std::string_view type() const override { return "duplicate"; }
  void push(Packet packet, Micros now) override;
  void reconfigure(const StageSettings& settings) override;

 private:
  Settings settings_;
  CorrelatedUniform uniform_;
};

}  // namespace camleak::impair
