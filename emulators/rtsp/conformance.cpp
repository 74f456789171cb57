#include "emulators/rtsp/conformance.hpp"

namespace camleak::rtsp {

void Conformance::add(std::string_view text, uint64_t count, std::string_view example) {
  if (count == 0) return;
  std::lock_guard lock(mutex_);
  auto it = entries_.find(text);
  if (it == entries_.end()) {
    // The other bucket does not count towards the bound, so it always has room.
    const std::size_t distinct = entries_.size() - (entries_.contains(kOtherText) ? 1 : 0);
    const bool full = distinct >= kMaxDistinct && text != kOtherText;
    it = entries_.try_emplace(std::string(full ? kOtherText : text)).first;
    if (it->second.example.empty()) it->second.example = std::string(example);
  }
  it->second.count += count;
}

void Conformance::absorb(const Conformance& other) {
  if (&other == this) return;
  for (const ConformanceNote& n : other.notes()) add(n.text, n.count, n.example);
}

std::vector<ConformanceNote> Conformance::notes() const {
  std::lock_guard lock(mutex_);
  std::vector<ConformanceNote> out;
  out.reserve(entries_.size());
  for (const auto& [text, entry] : entries_) out.push_back({text, entry.count, entry.example});
  return out;
}

uint64_t Conformance::total() const {
  std::lock_guard lock(mutex_);
  uint64_t sum = 0;
  for (const auto& [text, entry] : entries_) sum += entry.count;
  return sum;
}

}  // namespace camleak::rtsp
