#pragma once
// H.264 NAL units as the rest of camleak handles them: one std::vector per NAL unit, WITHOUT a
// start code, in the escaped form found on the wire (emulation-prevention bytes included). That
// is what RTP (RFC 6184) carries; Annex-B byte streams (start codes) are only used to talk to
// libavcodec and to write .h264 files.
// One implementation for the camera (encoder output, identity SEI), the RTP packetizer and
// depacketizer, the relay and the hub.
#include <cstdint>
#include <span>
#include <vector>

#include "harness/core/bytes.hpp"

namespace camleak::h264 {

// nal_unit_type values camleak cares about (ITU-T H.264 table 7-1; 24 and 28 from RFC 6184).
namespace nal_type {
inline constexpr uint8_t slice = 1;      // non-IDR coded slice
inline constexpr uint8_t slice_idr = 5;  // IDR coded slice
inline constexpr uint8_t sei = 6;
inline constexpr uint8_t sps = 7;
inline constexpr uint8_t pps = 8;
inline constexpr uint8_t aud = 9;
inline constexpr uint8_t stap_a = 24;  // RFC 6184 single-time aggregation packet
inline constexpr uint8_t fu_a = 28;    // RFC 6184 fragmentation unit
}  // namespace nal_type

inline uint8_t nal_unit_type(ByteView nal) {
  return nal.empty() ? 0 : nal[0] & 0x1F;
}
// Video coding layer: the NAL units that carry picture data (types 1-5).
inline bool is_vcl(ByteView nal) {
  const uint8_t type = nal_unit_type(nal);
  return type >= 1 && type <= 5;
}
// A header a conforming stream could contain: forbidden_zero_bit clear, type 1-23.
inline bool has_valid_header(ByteView nal) {
  return !nal.empty() && (nal[0] & 0x80) == 0 && nal_unit_type(nal) >= 1 &&
         nal_unit_type(nal) <= 23;
}

// Splits an Annex-B byte stream at its start codes (00 00 01 or 00 00 00 01). Bytes before the
// first start code are ignored, trailing zero bytes of each NAL unit are dropped, empty units
// are skipped.
std::vector<Bytes> split_annexb(ByteView stream);

// Joins NAL units into an Annex-B byte stream with 4-byte start codes.
Bytes join_annexb(std::span<const Bytes> nals);
void append_annexb(Bytes& out, ByteView nal);
std::size_t annexb_size(std::span<const Bytes> nals);

// Inserts emulation-prevention bytes (00 00 0x -> 00 00 03 0x for x <= 3) so the payload cannot
// contain a start code. Like every NAL payload, `rbsp` must end in a non-zero byte (the
// rbsp_stop_one_bit), otherwise the next start code would absorb its trailing zeros.
Bytes escape_rbsp(ByteView rbsp);
// Removes emulation-prevention bytes (00 00 03 -> 00 00).
Bytes unescape_rbsp(ByteView escaped);

}  // namespace camleak::h264
