#pragma once
// reorder (datagram, netem): datagrams are held for `delay` ms, except that, once `gap` - 1
// datagrams have been delayed, the next one is sent at once with `probability` % (optionally
// correlated), overtaking the delayed ones (netem's "reorder PROB [CORR] gap GAP" with
// "delay"). Holds at most `limit` datagrams (netem's queue limit); more are dropped and counted.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

class ReorderStage final : public QueuedStage<ScheduledQueue> {
 public:
  struct Settings : StageSettings {
    Chance chance;
    uint64_t gap = 1;
    Micros delay{10'000};
    size_t limit = 1000;
  };
  static constexpr StageDescription kDescription{
      .name = "reorder",
      .transport = Transport::datagram,
      .doc =
          "Delays datagrams by delay ms but sends some at once, ahead of the delayed ones (netem "
          "reorder)."};
  static Fields<Settings> fields();

  ReorderStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  // Held datagrams keep their release times.
  void reconfigure(const StageSettings& settings) override;

 private:
  Settings settings_;
  uint64_t counter_ = 0;  // datagrams delayed since the last one sent at once
  CorrelatedChance chance_;
};

}  // namespace camleak::impair
