#pragma once
// A camera's pre-encoded picture loop. Encoding H.264 for every emitted frame of 1,000 cameras
// would not fit on two cores, so each camera encodes a short loop once (whole GOPs of the moving
// pattern with its pixel code, starting with an IDR) and replays it; the identity stamper only
// adds a fresh SEI per frame. Replaying is valid H.264 because the loop restarts at an IDR.
#include <cstdint>
#include <memory>
#include <vector>

#include "emulators/h264/nal.hpp"
#include "emulators/media/crypto.hpp"
#include "emulators/media/h264_encoder.hpp"
#include "harness/core/clock.hpp"

namespace camleak::media {

struct LoopConfig {
  H264EncoderConfig encoder;
  int gops = 2;              // loop length in GOPs (an even number keeps idr_pic_id alternating)
  uint32_t camera_code = 0;  // pixel code drawn into every picture
};

struct LoopFrame {
  bool keyframe = false;
  std::vector<Bytes> vcl;  // the coded slices (NAL types 1-5), without start codes
  Digest slice_digest{};   // SliceHasher::slice_digest(vcl), computed once at encode time
};

class H264Loop {
  struct Private {};  // only encode() makes loops: a loop is never empty

 public:
  explicit H264Loop(Private) {}

  // Encodes encoder.gop * gops frames. Throws InputError for a bad config, MediaError when
  // FFmpeg fails or the encoder does not produce what a loop needs (IDR first, SPS/PPS present).
  static std::shared_ptr<const H264Loop> encode(const LoopConfig& config);

  // Raw SPS and PPS NAL units (header byte included): base64 them for sprop-parameter-sets.
  const Bytes& sps() const { return sps_; }
  const Bytes& pps() const { return pps_; }
  // profile-level-id for the SDP fmtp line: the three bytes after the SPS header.
  uint32_t profile_level_id() const;

  const std::vector<LoopFrame>& frames() const { return frames_; }
  std::size_t size() const { return frames_.size(); }
  // Frame of the loop shown at running frame index `index` (wraps around).
  const LoopFrame& frame(uint64_t index) const { return frames_[index % frames_.size()]; }

  const LoopConfig& config() const { return config_; }
  Micros frame_interval() const { return Micros{1'000'000 / config_.encoder.fps}; }

 private:
  LoopConfig config_;
  Bytes sps_;
  Bytes pps_;
  std::vector<LoopFrame> frames_;
};

}  // namespace camleak::media
