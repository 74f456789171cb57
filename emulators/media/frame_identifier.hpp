#pragma once
// The hub side of frame identity: for each access unit of one stream, the SEI identity (with the
// MAC checked against this access unit's slices), the decoded picture and the pixel code read
// from it. One FrameIdentifier per hub stream, kept across frames; not thread-safe.
#include <cstdint>
#include <optional>
#include <span>

#include "emulators/h264/nal.hpp"
#include "emulators/media/crypto.hpp"
#include "emulators/media/h264_decoder.hpp"
#include "emulators/media/picture.hpp"
#include "harness/core/observation.hpp"

namespace camleak::media {

struct FrameIdentity {
  DecodeStatus status = DecodeStatus::not_media;
  std::optional<SeiIdentity> sei;      // absent: no SEI with our UUID in the access unit
  std::optional<uint32_t> pixel_code;  // absent: no picture, or no valid code in it
};

class FrameIdentifier {
 public:
  explicit FrameIdentifier(const RunKey& key, const DecoderLimits& limits = {});

  // Identifies one access unit (NAL units without start codes, as depacketized from RTP).
  // not_media: no NAL unit with a valid header, or no coded slice at all (parameter sets alone
  // are still given to the decoder). Never throws on bad input.
  FrameIdentity identify(std::span<const Bytes> nals);

  // The picture decoded by the last identify() (empty when there was none). Copy it to keep it:
  // copies share the buffer, the next identify() replaces this one.
  const Picture& picture() const { return picture_; }

  // Forget decoder state, e.g. after the hub reconnects.
  void reset() { decoder_.reset(); }

 private:
  HmacSha256 hmac_;
  SliceHasher hasher_;
  H264Decoder decoder_;
  Picture picture_;
};

}  // namespace camleak::media
