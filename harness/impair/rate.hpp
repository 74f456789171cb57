#pragma once
// rate (datagram, netem): a link of `rate` kbit/s (1 kbit = 1000 bits) that sends one datagram
// at a time, each taking (size + packet_overhead) * 8 / rate; datagrams queue in order behind
// each other. rate 0 = unlimited. Holds at most `limit` datagrams; more are dropped (netem's
// queue limit).
#include "harness/impair/serial_queue.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class RateStage final : public Stage {
 public:
  RateStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "rate"; }
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

  double rate_ = 0;  // kbit/s
  int64_t overhead_ = 0;
  size_t limit_ = 1000;
  SerialQueue queue_;
};

}  // namespace camleak::impair
