#include "emulators/relay/channel.hpp"

#include <algorithm>

namespace camleak::relay {

bool Channel::push(const FramePtr& frame) {
  bool overflow = false;
  if (frame->keyframe) {
    gop_.clear();
    gop_bytes_ = 0;
    latest_keyframe_ = frame;
  }
  if (frame->keyframe || !gop_.empty()) {
    if (gop_.size() + 1 > limits_.max_frames ||
        gop_bytes_ + frame->wire.size() > limits_.max_bytes) {
      // A GOP this long (or a camera that never sends keyframes) would grow without bound:
      // new viewers then wait for the next keyframe instead.
      gop_.clear();
      gop_bytes_ = 0;
      overflow = true;
    } else {
      gop_.push_back(frame);
      gop_bytes_ += frame->wire.size();
    }
  }
  fanout_ = viewers_;
  removed_during_fanout_.clear();
  in_fanout_ = true;
  for (FrameSink* sink : fanout_) {
    // A sink removed by an earlier delivery in this loop must not be called.
    if (!removed_during_fanout_.empty() &&
        std::find(removed_during_fanout_.begin(), removed_during_fanout_.end(), sink) !=
            removed_during_fanout_.end()) {
      continue;
    }
    sink->deliver(frame);
  }
  in_fanout_ = false;
  return overflow;
}

void Channel::add_viewer(FrameSink* sink) {
  if (std::find(viewers_.begin(), viewers_.end(), sink) == viewers_.end()) viewers_.push_back(sink);
}

void Channel::remove_viewer(FrameSink* sink) {
  if (in_fanout_) removed_during_fanout_.push_back(sink);
  viewers_.erase(std::remove(viewers_.begin(), viewers_.end(), sink), viewers_.end());
}

}  // namespace camleak::relay
