#pragma once
// down (stream, ours): the link is down for this connection. At once the stage emits a reset (or
// a close, by `mode`) and discards everything after it, so a connection made while the stage is
// in place is refused at once and an established one is cut.
#include "harness/impair/queues.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class DownStage final : public Stage {
 public:
  DownStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "down"; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override { return queue_.pop(now); }
  std::optional<Micros> next_wakeup(Micros) const override { return queue_.next_ready(); }
  // The signal has been sent; a new mode only matters for a new connection.
  void reconfigure(const Attributes&) override {}
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 private:
  OrderedQueue queue_;  // the signal, until it is popped
};

}  // namespace camleak::impair
