#pragma once
// The snapshot endpoint's picture: the latest keyframe of a channel (an IDR decodes on its
// own), decoded with FFmpeg and re-encoded as JPEG, cached per channel for the TTL so a burst
// of requests costs one decode. Only the pixel code survives the re-encode (no SEI), which is
// how the hub identifies snapshots.
#include <chrono>
#include <optional>
#include <vector>

#include "emulators/media/h264_decoder.hpp"
#include "emulators/media/still_image.hpp"
#include "emulators/relay/channel.hpp"

namespace camleak::relay {

class SnapshotService {
 public:
  SnapshotService(std::chrono::milliseconds ttl, int quality) : ttl_(ttl), encoder_(quality) {}

  struct Result {
    const std::vector<uint8_t>* jpeg = nullptr;  // null: nothing decodable yet
    bool encoded = false;                        // true when this call decoded and encoded
    std::string error;                           // why there is no JPEG
  };
  Result get(Channel& channel, Micros now);

 private:
  std::chrono::milliseconds ttl_;
  media::H264Decoder decoder_;
  media::JpegEncoder encoder_;
};

}  // namespace camleak::relay
