#pragma once
// One camera's live channel: the viewers attached to it, the fast-start GOP cache (the latest
// keyframe and every frame after it, so a new viewer starts decoding at once), the parameter
// sets for DESCRIBE, and the snapshot (thumbnail) cache. Keyed by camera: a viewer of camera A
// can only ever be served frames pushed into A's channel.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "emulators/relay/media_frame.hpp"
#include "harness/core/clock.hpp"

namespace camleak::relay {

// Receives the frames of a channel (a playing viewer).
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void deliver(const FramePtr& frame) = 0;
};

struct GopCacheLimits {
  size_t max_frames = 300;
  size_t max_bytes = 8 << 20;
};

class Channel {
 public:
  Channel(std::string camera, GopCacheLimits limits)
      : camera_(std::move(camera)), limits_(limits) {}

  const std::string& camera() const { return camera_; }

  // Caches and fans out one frame. Returns true when the GOP cache overflowed its caps and was
  // emptied (it refills at the next keyframe).
  bool push(const FramePtr& frame);

  void add_viewer(FrameSink* sink);
  void remove_viewer(FrameSink* sink);
  size_t viewer_count() const { return viewers_.size(); }

  // Latest keyframe first, then everything after it in order (empty before the first keyframe).
  const std::vector<FramePtr>& gop() const { return gop_; }
  FramePtr latest_keyframe() const { return gop_.empty() ? latest_keyframe_ : gop_.front(); }

  // Parameter sets for DESCRIBE: from the publisher's SDP, replaced by in-band ones.
  std::vector<uint8_t> sps;
  std::vector<uint8_t> pps;
  std::string profile_level_id;

  // The connection id of the current publisher (0: none).
  uint64_t publisher = 0;

  // Snapshot cache: the JPEG of `snapshot_source` made at `snapshot_made_at`.
  std::vector<uint8_t> snapshot_jpeg;
  Micros snapshot_made_at{};
  uint64_t snapshot_source = 0;
  bool has_snapshot = false;

 private:
  std::string camera_;
  GopCacheLimits limits_;
  std::vector<FramePtr> gop_;
  size_t gop_bytes_ = 0;
  FramePtr latest_keyframe_;  // survives a GOP cache overflow (snapshots still work)
  std::vector<FrameSink*> viewers_;
  std::vector<FrameSink*> fanout_;  // reused copy: sinks may detach during delivery
  std::vector<FrameSink*> removed_during_fanout_;
  bool in_fanout_ = false;
};

}  // namespace camleak::relay
