#pragma once
// slow_close (stream, Toxiproxy): data passes at once; the close (or reset) signal is held back
// by `delay` ms, so the peer sees the connection linger.
#include "harness/impair/queues.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class SlowCloseStage final : public Stage {
 public:
  SlowCloseStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "slow_close"; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override { return queue_.pop(now); }
  std::optional<Micros> next_wakeup(Micros) const override { return queue_.next_ready(); }
  void reconfigure(const Attributes& attributes) override;
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 private:
  Micros delay_{0};
  OrderedQueue queue_;
};

}  // namespace camleak::impair
