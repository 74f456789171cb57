#pragma once
// bandwidth (stream, Toxiproxy): passes data at `rate` KB/s (1 KB = 1000 bytes, as Toxiproxy).
// A chunk larger than 100 ms worth of data is cut into 100 ms pieces, so a slow link trickles
// instead of stalling then bursting (Toxiproxy does the same). rate 0 = unlimited.
#include "harness/impair/paced_stage.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

class BandwidthStage final : public PacedStage {
 public:
  struct Settings : StageSettings {
    int64_t rate = 0;  // KB/s; 0 = unlimited
  };
  static constexpr StageDescription kDescription{
      .name = "bandwidth",
      .transport = Transport::stream,
      .doc =
          "Limits throughput to rate KB/s; larger chunks trickle out in 100 ms pieces "
          "(Toxiproxy)."};
  static Fields<Settings> fields();

  BandwidthStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  void reconfigure(const StageSettings& settings) override;

 private:
  int64_t cost_ns(const Packet& packet) const override;

  Settings settings_;
};

}  // namespace camleak::impair
