#pragma once
// The base of every stage that keeps what it holds in one queue (queues.hpp, serial_queue.hpp):
// popping, waking up, draining and the held counts are the queue's, so a stage writes only how
// packets go in (push) and what its settings change (reconfigure).
#include <cstddef>
#include <optional>
#include <vector>

#include "harness/impair/stage.hpp"

namespace camleak::impair {

template <class Queue>
class QueuedStage : public Stage {
 public:
  std::optional<Packet> pop(Micros now) override { return queue_.pop(now); }
  std::optional<Micros> next_wakeup(Micros) const override { return queue_.next_ready(); }
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 protected:
  using Stage::Stage;

  Queue queue_;
};

}  // namespace camleak::impair
