#pragma once
// One coded picture: its NAL units WITHOUT start codes, in decoding order. The camera's stamped
// frames (media::StampedAccessUnit) and the depacketizer's reassembled ones
// (rtsp::ReceivedAccessUnit) are this plus what each side knows about it.
#include <cstddef>
#include <vector>

#include "emulators/h264/nal.hpp"

namespace camleak::h264 {

struct AccessUnit {
  std::vector<Bytes> nals;

  // Bytes of the NAL units, without start codes.
  std::size_t bytes() const;
  // The access unit as an Annex B byte stream (00 00 00 01 before each NAL unit), which is
  // what FFmpeg's H.264 decoder takes.
  Bytes to_annexb() const { return join_annexb(nals); }
};

}  // namespace camleak::h264
