#pragma once
// slicer (stream, Toxiproxy): cuts each chunk into slices of about average_size +/-
// size_variation bytes (split in halves recursively, as Toxiproxy does, so there is no bias
// towards a short first or last slice) and waits `delay` microseconds after each slice.
#include <cstddef>
#include <vector>

#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

class SlicerStage final : public QueuedStage<OrderedQueue> {
 public:
  struct Settings : StageSettings {
    size_t average_size = 1024;
    size_t size_variation = 0;
    Micros delay{0};
  };
  static constexpr StageDescription kDescription{
      .name = "slicer",
      .transport = Transport::stream,
      .doc = "Slices each chunk into smaller ones with a delay between slices (Toxiproxy)."};
  static Fields<Settings> fields();
  static std::vector<Diagnostic> check(const Settings& settings);

  SlicerStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  void reconfigure(const StageSettings& settings) override;

 private:
  void apply(const Settings& settings);
  // Appends the end offsets of the slices of [start, end) to `ends`.
  void slice(size_t start, size_t end, std::vector<size_t>& ends);

  Settings settings_;
  Micros next_free_{Micros::min()};
};

}  // namespace camleak::impair
