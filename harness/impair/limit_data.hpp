#pragma once
// limit_data (stream, Toxiproxy): lets `bytes` bytes through in total, cutting the chunk that
// crosses the limit, then closes the connection. The count survives reconfiguration.
#include "harness/impair/queues.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class LimitDataStage final : public Stage {
 public:
  LimitDataStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "limit_data"; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override { return queue_.pop(now); }
  std::optional<Micros> next_wakeup(Micros) const override { return queue_.next_ready(); }
  void reconfigure(const Attributes& attributes) override;
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 private:
  uint64_t limit_ = 0;
  uint64_t transmitted_ = 0;
  bool closed_ = false;
  OrderedQueue queue_;
};

}  // namespace camleak::impair
