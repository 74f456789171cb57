#pragma once
// corrupt (datagram, netem): with `probability` %, flips one random bit of the datagram (netem
// flips one bit of one random byte). Empty datagrams are left alone.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"

namespace camleak::impair {

class CorruptStage final : public QueuedStage<OrderedQueue> {
 public:
  struct Settings : StageSettings {
    Chance chance;
  };

  CorruptStage(StageContext context, const Settings& settings);

  std::string_view type() const override { return "corrupt"; }
  void push(Packet packet, Micros now) override;
  void reconfigure(const StageSettings& settings) override;

 private:
  CorrelatedChance chance_;
};

}  // namespace camleak::impair
