#pragma once
// Defect `weak-signal-cache` (January 2020 incident class).
//
// The feature: to let a viewer whose link stalls and comes back resume instantly, viewers are
// given a "viewer slot" from a pool (the lowest free index, reused when a viewer leaves) and
// the relay keeps, per slot, a "resume cache": the last GOP it sent through that slot. A new
// PLAY is first served the resume cache of the slot it is given, then the live stream.
//
// The bug: the resume cache is keyed by slot, not by camera. A viewer that leaves cleanly
// (TEARDOWN) clears its slot's cache, so on a stable network every viewer only ever sees what
// was sent through its own slot for its own camera. When viewers stall and time out or their
// links drop (weak signal), their slots are freed with the cache still filled; the next viewer
// to get that slot, possibly watching another camera, is served the previous camera's frames.
//
// The relay only uses this class when the defect is on; with it off the fast-start cache is
// the per-camera GOP cache (channel.hpp), which cannot mix cameras.
#include <cstddef>
#include <vector>

#include "emulators/relay/channel.hpp"
#include "emulators/relay/media_frame.hpp"

namespace camleak::relay {

class ViewerSlots {
 public:
  explicit ViewerSlots(GopCacheLimits limits) : limits_(limits) {}

  // The lowest free slot index.
  size_t acquire();
  // `clean`: the viewer said goodbye (TEARDOWN), nothing to resume, the cache is cleared.
  // Otherwise (timeout, reset, revoked) the cache is kept for a resume.
  void release(size_t slot, bool clean);

  // Remembers a frame sent through `slot` (a keyframe starts a new GOP).
  void record_sent(size_t slot, const FramePtr& frame);
  const std::vector<FramePtr>& resume_cache(size_t slot) const { return slots_.at(slot).cache; }

  size_t in_use() const;
  size_t size() const { return slots_.size(); }

 private:
  struct Slot {
    bool used = false;
    std::vector<FramePtr> cache;
    size_t bytes = 0;
  };
  GopCacheLimits limits_;
  std::vector<Slot> slots_;
};

}  // namespace camleak::relay
