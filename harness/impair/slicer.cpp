#include "harness/impair/slicer.hpp"

#include <algorithm>

#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

SlicerStage::SlicerStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  apply(settings);
}

void SlicerStage::reconfigure(const StageSettings& settings) {
  apply(settings_as<Settings>(settings));
}

void SlicerStage::apply(const Settings& settings) {
  settings_ = settings;
  // The registry guarantees this; settings made by hand must not make slice() recurse forever.
  settings_.average_size = std::max<size_t>(settings_.average_size, 1);
  if (settings_.size_variation >= settings_.average_size) {
    settings_.size_variation = settings_.average_size - 1;
  }
}

void SlicerStage::slice(size_t start, size_t end, std::vector<size_t>& ends) {
  const size_t size = end - start;
  if (size <= settings_.average_size + settings_.size_variation) {
    ends.push_back(end);
    return;
  }
  // size > average + variation and variation < average keep `mid` strictly inside the range.
  const auto variation = static_cast<int64_t>(settings_.size_variation);
  const int64_t offset =
      variation > 0
          ? static_cast<int64_t>(context_.rng.below(static_cast<uint64_t>(2 * variation + 1))) -
                variation
          : 0;
  const auto mid = static_cast<size_t>(static_cast<int64_t>(start + size / 2) + offset);
  slice(start, mid, ends);
  slice(mid, end, ends);
}

void SlicerStage::push(Packet packet, Micros now) {
  Micros t = std::max(now, next_free_);
  if (packet.kind != Packet::Kind::data || packet.bytes.empty()) {
    queue_.push(std::move(packet), t);
    return;
  }
  std::vector<size_t> ends;
  slice(0, packet.bytes.size(), ends);
  if (ends.size() > 1) {
    count(StageAction::sliced, packet.bytes.size());
    counters_.add(StageAction::slices, ends.size());
  }
  size_t start = 0;
  for (size_t i = 0; i + 1 < ends.size(); ++i) {
    Packet part{
        .kind = Packet::Kind::data,
        .bytes = std::vector<uint8_t>(packet.bytes.begin() + start, packet.bytes.begin() + ends[i]),
        .entered_at = packet.entered_at};
    queue_.push(std::move(part), t);
    t += settings_.delay;
    start = ends[i];
  }
  // The last slice reuses the chunk's own buffer.
  if (start > 0) packet.bytes.erase(packet.bytes.begin(), packet.bytes.begin() + start);
  queue_.push(std::move(packet), t);
  next_free_ = t + settings_.delay;
}

Fields<SlicerStage::Settings> SlicerStage::fields() {
  return Fields<Settings>{
      integer_field(&Settings::average_size, "average_size", "bytes", "Average slice size.", 1.0),
      integer_field(&Settings::size_variation, "size_variation", "bytes",
                    "Slices vary by up to this many bytes; less than average_size."),
      microseconds_field(&Settings::delay, "delay", "Pause after each slice.")};
}

std::vector<Diagnostic> SlicerStage::check(const Settings& s) {
  std::vector<Diagnostic> problems;
  if (s.size_variation >= s.average_size) {
    problems.push_back({.field = "size_variation",
                        .message = "must be less than average_size (" +
                                   std::to_string(s.average_size) + " bytes)"});
  }
  return problems;
}

}  // namespace camleak::impair
