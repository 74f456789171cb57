#pragma once
// corrupt (datagram, netem): with `probability` %, flips one random bit of the datagram (netem
// flips one bit of one random byte). Empty datagrams are left alone.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class CorruptStage final : public Stage {
 public:
  CorruptStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "corrupt"; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override { return queue_.pop(now); }
  std::optional<Micros> next_wakeup(Micros) const override { return queue_.next_ready(); }
  void reconfigure(const Attributes& attributes) override;
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 private:
  double probability_ = 0;
  CorrelatedUniform uniform_;
  OrderedQueue queue_;
};

}  // namespace camleak::impair
