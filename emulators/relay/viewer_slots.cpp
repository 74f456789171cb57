#include "emulators/relay/viewer_slots.hpp"

namespace camleak::relay {

size_t ViewerSlots::acquire() {
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i].used) {
      slots_[i].used = true;
      return i;
    }
  }
  slots_.push_back(Slot{.used = true});
  return slots_.size() - 1;
}

void ViewerSlots::release(size_t slot, bool clean) {
  if (slot >= slots_.size()) return;
  Slot& s = slots_[slot];
  s.used = false;
  if (clean) {
    s.cache.clear();
    s.bytes = 0;
  }
}

void ViewerSlots::record_sent(size_t slot, const FramePtr& frame) {
  if (slot >= slots_.size()) return;
  Slot& s = slots_[slot];
  if (frame->keyframe) {
    s.cache.clear();
    s.bytes = 0;
  } else if (s.cache.empty()) {
    return;  // a GOP is only resumable from its keyframe
  }
  if (s.cache.size() + 1 > limits_.max_frames || s.bytes + frame->wire.size() > limits_.max_bytes) {
    s.cache.clear();
    s.bytes = 0;
    return;
  }
  s.cache.push_back(frame);
  s.bytes += frame->wire.size();
}

size_t ViewerSlots::in_use() const {
  size_t n = 0;
  for (const auto& s : slots_) n += s.used ? 1 : 0;
  return n;
}

}  // namespace camleak::relay
