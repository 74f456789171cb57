#pragma once
// One access unit as the relay fans it out: packetized once at ingest into RTP packets laid
// out back to back with their 4-byte interleaved prefix ('$' channel length), so that sending
// it to a TCP viewer is one copy plus patching channel, sequence number and SSRC in place.
// Frames are immutable and shared (GOP cache, resume caches, viewer queues hold pointers).
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "emulators/rtsp/h264_depacketizer.hpp"
#include "emulators/rtsp/h264_packetizer.hpp"

namespace camleak::relay {

struct MediaFrame {
  uint64_t index = 0;  // arrival order on its ingest
  uint32_t rtp_timestamp = 0;
  bool keyframe = false;
  std::vector<uint8_t> wire;               // interleaved-prefixed RTP packets
  std::vector<uint32_t> packet_offsets;    // offset of each '$' in wire
  std::vector<std::vector<uint8_t>> nals;  // kept for keyframes only (snapshot source)

  size_t packet_count() const { return packet_offsets.size(); }
  // The RTP packet i without its interleaved prefix.
  std::span<const uint8_t> packet(size_t i) const;
};

using FramePtr = std::shared_ptr<const MediaFrame>;

// True when the access unit holds an IDR slice.
bool is_keyframe(const h264::AccessUnit& au);
// Builds the shared frame. `sps`/`pps` (may be empty) are put in front of a keyframe that does
// not carry its own, so a viewer joining at that keyframe can decode without the SDP.
FramePtr build_frame(const rtsp::ReceivedAccessUnit& au, uint64_t index,
                     rtsp::H264Packetizer& packetizer, const std::vector<uint8_t>& sps,
                     const std::vector<uint8_t>& pps);

// Rewrites the per-viewer fields of one interleaved-prefixed packet in place.
inline void patch_packet(uint8_t* prefixed, uint8_t channel, uint16_t sequence, uint32_t ssrc) {
  prefixed[1] = channel;
  uint8_t* rtp = prefixed + 4;
  rtp[2] = static_cast<uint8_t>(sequence >> 8);
  rtp[3] = static_cast<uint8_t>(sequence);
  rtp[8] = static_cast<uint8_t>(ssrc >> 24);
  rtp[9] = static_cast<uint8_t>(ssrc >> 16);
  rtp[10] = static_cast<uint8_t>(ssrc >> 8);
  rtp[11] = static_cast<uint8_t>(ssrc);
}

}  // namespace camleak::relay
