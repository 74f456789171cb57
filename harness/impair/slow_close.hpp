#pragma once
// slow_close (stream, Toxiproxy): data passes at once; the close (or reset) signal is held back
// by `delay` ms, so the peer sees the connection linger.
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

class SlowCloseStage final : public QueuedStage<OrderedQueue> {
 public:
  struct Settings : StageSettings {
    Micros delay{0};
  };
  static constexpr StageDescription kDescription{
      .name = "slow_close",
      .transport = Transport::stream,
      .doc = "Delays the close of the connection; data passes untouched (Toxiproxy)."};
  static Fields<Settings> fields();

  SlowCloseStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  void reconfigure(const StageSettings& settings) override;

 private:
  Micros delay_{0};
};

}  // namespace camleak::impair
