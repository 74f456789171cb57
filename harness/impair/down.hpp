#pragma once
// down (stream, ours): the link is down for this connection. At once the stage emits a reset (or
// a close, by `mode`) and discards everything after it, so a connection made while the stage is
// in place is refused at once and an established one is cut.
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

class DownStage final : public QueuedStage<OrderedQueue> {
 public:
  struct Settings : StageSettings {
    bool reset = true;  // mode: reset (RST) or close (FIN)
  };
  static constexpr StageDescription kDescription{
      .name = "down",
      .transport = Transport::stream,
      .doc =
          "The connection is refused or cut at once: emits a reset or close, discards the rest."};
  static Fields<Settings> fields();

  DownStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  // The signal has been sent; a new mode only matters for a new connection.
  void reconfigure(const StageSettings&) override {}
  // queue_ holds the signal until it is popped.
};

}  // namespace camleak::impair
