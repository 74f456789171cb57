#pragma once
// Builds the access units a camera sends: the pre-encoded loop's slices with a fresh identity
// SEI in front. Cost per frame is one HMAC over ~100 bytes plus copying the slices; the slice
// digest was computed once when the loop was encoded.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "emulators/h264/access_unit.hpp"
#include "emulators/media/crypto.hpp"
#include "emulators/media/h264_loop.hpp"
#include "emulators/media/identity_sei.hpp"
#include "harness/core/clock.hpp"

namespace camleak::media {

// One coded picture as the camera sends it: [SPS, PPS] (keyframes only), identity SEI, slices,
// each without start codes (h264::AccessUnit). Feed `nals` to the RTP packetizer, or
// to_annexb() to write a .h264 file.
struct StampedAccessUnit : h264::AccessUnit {
  bool keyframe = false;
  uint64_t sequence = 0;
  Micros capture_time{};
};

class IdentityStamper {
 public:
  // Throws InputError when camera or owner is empty or longer than 255 bytes.
  IdentityStamper(std::shared_ptr<const H264Loop> loop, const RunKey& key, std::string camera,
                  std::string owner);

  // The access unit for running frame `frame_index` (the loop wraps), stamped with `sequence`
  // and `capture_time`. A viewer can start decoding at any keyframe.
  StampedAccessUnit stamp(uint64_t frame_index, uint64_t sequence, Micros capture_time);

  const H264Loop& loop() const { return *loop_; }
  const std::string& camera() const { return camera_; }
  const std::string& owner() const { return owner_; }

 private:
  std::shared_ptr<const H264Loop> loop_;
  HmacSha256 hmac_;
  std::string camera_;
  std::string owner_;
};

}  // namespace camleak::media
