#include "emulators/relay/snapshot_service.hpp"

#include <exception>

namespace camleak::relay {

SnapshotService::Result SnapshotService::get(Channel& channel, Micros now) {
  const FramePtr keyframe = channel.latest_keyframe();
  const bool fresh = channel.has_snapshot && now - channel.snapshot_made_at < ttl_;
  if (fresh) return Result{.jpeg = &channel.snapshot_jpeg};
  if (!keyframe || keyframe->nals.empty()) {
    if (channel.has_snapshot) return Result{.jpeg = &channel.snapshot_jpeg};
    return Result{.error = "no keyframe received from the camera yet"};
  }
  try {
    decoder_.reset();
    media::Picture picture;
    const DecodeStatus status = decoder_.decode(keyframe->nals, picture);
    if (status != DecodeStatus::ok || picture.empty()) {
      return Result{.error = "the latest keyframe does not decode"};
    }
    channel.snapshot_jpeg = encoder_.encode(picture);
    channel.snapshot_made_at = now;
    channel.snapshot_source = keyframe->index;
    channel.has_snapshot = true;
    return Result{.jpeg = &channel.snapshot_jpeg, .encoded = true};
  } catch (const std::exception& e) {
    return Result{.error = std::string("snapshot encoding failed: ") + e.what()};
  }
}

}  // namespace camleak::relay
