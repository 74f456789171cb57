#pragma once
// H.264 NAL unit helpers shared by the packetizer, the depacketizer and their users:
// Annex B byte streams (what encoders write) <-> NAL units without start codes (what RTP
// carries, RFC 6184 section 1.3).
#include <cstdint>
#include <span>
#include <vector>

namespace camleak::rtsp {

enum NalType : uint8_t {
  kNalSlice = 1,
  kNalIdr = 5,
  kNalSei = 6,
  kNalSps = 7,
  kNalPps = 8,
  kNalAud = 9,
  kNalStapA = 24,  // RFC 6184 aggregation packet
  kNalFuA = 28,    // RFC 6184 fragmentation unit
};

inline uint8_t nal_type(std::span<const uint8_t> nal) {
  return nal.empty() ? 0 : nal[0] & 0x1F;
}

// Splits an Annex B stream on 00 00 01 / 00 00 00 01 start codes. Spans point into `stream`;
// leading bytes before the first start code and empty NAL units are dropped, trailing zero
// bytes of each NAL unit (trailing_zero_8bits) are trimmed.
std::vector<std::span<const uint8_t>> split_annexb(std::span<const uint8_t> stream);

// Appends 00 00 00 01 + nal for each unit.
void append_annexb(std::vector<uint8_t>& out, std::span<const uint8_t> nal);

}  // namespace camleak::rtsp
