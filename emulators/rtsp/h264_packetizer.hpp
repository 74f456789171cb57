#pragma once
// H.264 RTP packetizer (RFC 6184, packetization-mode=1, non-interleaved):
//  - a NAL unit that fits in max_payload goes alone (single NAL unit packet, section 5.6),
//  - consecutive NAL units that fit together (SPS, PPS, SEI, small slices) share one STAP-A
//    (section 5.7.1),
//  - a NAL unit larger than max_payload is split into FU-A fragments (section 5.8).
// The marker bit is set on the last packet of each access unit; the timestamp is the
// caller's 90 kHz presentation time. Sans-I/O: packets go to a sink callback, built in one
// reusable buffer (no allocation per packet once warm).
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "emulators/rtsp/rtp.hpp"

namespace camleak::rtsp {

struct H264PacketizerConfig {
  uint8_t payload_type = 96;
  uint32_t ssrc = 0;
  uint16_t initial_sequence = 0;
  // RTP payload bytes per packet (without the 12-byte RTP header). Values below 3 are raised
  // to 3, the least an FU-A fragment needs to make progress.
  size_t max_payload = 1400;
  bool aggregate = true;  // false: never build STAP-A
};

struct PacketizerCounters {
  uint64_t access_units = 0;
  uint64_t packets = 0;
  uint64_t single_nal_packets = 0;
  uint64_t stap_a_packets = 0;
  uint64_t fu_a_packets = 0;
  uint64_t payload_bytes = 0;
};

class H264Packetizer {
 public:
  // Receives each complete RTP packet; the span is valid only during the call.
  using PacketSink = std::function<void(std::span<const uint8_t> packet)>;

  explicit H264Packetizer(H264PacketizerConfig config = {});

  // Packetizes one access unit (NAL units without start codes, in decoding order).
  // Empty NAL units are skipped; an access unit with none emits nothing.
  void packetize(std::span<const std::span<const uint8_t>> nals, uint32_t timestamp,
                 const PacketSink& sink);
  void packetize(const std::vector<std::vector<uint8_t>>& nals, uint32_t timestamp,
                 const PacketSink& sink);

  uint16_t next_sequence() const { return sequence_; }
  const H264PacketizerConfig& config() const { return config_; }
  const PacketizerCounters& counters() const { return counters_; }

 private:
  void emit(bool marker, uint32_t timestamp, const PacketSink& sink);

  H264PacketizerConfig config_;
  uint16_t sequence_;
  std::vector<uint8_t> packet_;
  PacketizerCounters counters_;
};

}  // namespace camleak::rtsp
