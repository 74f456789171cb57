#pragma once
// The base of the stages that pace what they hold through one SerialQueue (bandwidth, rate):
// each packet takes the transmission time cost_ns() gives it at the current settings, and when
// the settings change what is held is paced again at the new rate (a cut to unlimited releases
// the backlog at once).
#include <cstdint>
#include <utility>

#include "harness/impair/queued_stage.hpp"
#include "harness/impair/serial_queue.hpp"

namespace camleak::impair {

class PacedStage : public QueuedStage<SerialQueue> {
 protected:
  using QueuedStage::QueuedStage;

  // Nanoseconds `packet` takes to transmit at the current settings.
  virtual int64_t cost_ns(const Packet& packet) const = 0;
  // Queues `packet` behind what is held, for its cost.
  void pace(Packet packet, Micros now) {
    const int64_t cost = cost_ns(packet);
    queue_.push(std::move(packet), now, cost);
  }
  // Gives everything held its cost at the new settings.
  void repace() {
    queue_.reschedule([this](const Packet& packet) { return cost_ns(packet); });
  }
};

}  // namespace camleak::impair
