#pragma once
// bandwidth (stream, Toxiproxy): passes data at `rate` KB/s (1 KB = 1000 bytes, as Toxiproxy).
// A chunk larger than 100 ms worth of data is cut into 100 ms pieces, so a slow link trickles
// instead of stalling then bursting (Toxiproxy does the same). rate 0 = unlimited.
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/serial_queue.hpp"

namespace camleak::impair {

class BandwidthStage final : public QueuedStage<SerialQueue> {
 public:
  struct Settings : StageSettings {
    int64_t rate = 0;  // KB/s; 0 = unlimited
  };

  BandwidthStage(StageContext context, const Settings& settings);

  std::string_view type() const override { return "bandwidth"; }
  void push(Packet packet, Micros now) override;
  // What is held is rescheduled at the new rate.
  void reconfigure(const StageSettings& settings) override;

 private:
  int64_t cost_ns(const Packet& packet) const;

  Settings settings_;
};

}  // namespace camleak::impair
