#pragma once
// bandwidth (stream, Toxiproxy): passes data at `rate` KB/s (1 KB = 1000 bytes, as Toxiproxy).
// A chunk larger than 100 ms worth of data is cut into 100 ms pieces, so a slow link trickles
// instead of stalling then bursting (Toxiproxy does the same). rate 0 = unlimited.
#include "harness/impair/serial_queue.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class BandwidthStage final : public Stage {
 public:
  BandwidthStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "bandwidth"; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override { return queue_.pop(now); }
  std::optional<Micros> next_wakeup(Micros) const override { return queue_.next_ready(); }
  // What is held is rescheduled at the new rate.
  void reconfigure(const Attributes& attributes) override;
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 private:
  int64_t cost_ns(const Packet& packet) const;

  int64_t rate_ = 0;  // KB/s
  SerialQueue queue_;
};

}  // namespace camleak::impair
