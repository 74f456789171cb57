#pragma once
// slicer (stream, Toxiproxy): cuts each chunk into slices of about average_size +/-
// size_variation bytes (split in halves recursively, as Toxiproxy does, so there is no bias
// towards a short first or last slice) and waits `delay` microseconds after each slice.
#include <cstddef>
#include <vector>

#include "harness/impair/queues.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class SlicerStage final : public Stage {
 public:
  SlicerStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "slicer"; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override { return queue_.pop(now); }
  std::optional<Micros> next_wakeup(Micros) const override { return queue_.next_ready(); }
  void reconfigure(const Attributes& attributes) override;
  std::vector<Packet> drain() override { return queue_.drain(); }
  size_t held_bytes() const override { return queue_.bytes(); }
  size_t held_packets() const override { return queue_.size(); }

 private:
  // Appends the end offsets of the slices of [start, end) to `ends`.
  void slice(size_t start, size_t end, std::vector<size_t>& ends);

  size_t average_size_ = 1;
  size_t size_variation_ = 0;
  Micros delay_{0};
  Micros next_free_{Micros::min()};
  OrderedQueue queue_;
};

}  // namespace camleak::impair
