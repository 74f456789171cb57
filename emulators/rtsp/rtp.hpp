#pragma once
// RTP fixed header (RFC 3550 section 5.1): build and parse. Parsing handles CSRC lists, the
// header extension and padding, and rejects packets whose lengths do not add up.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace camleak::rtsp {

struct RtpHeader {
  bool marker = false;
  uint8_t payload_type = 96;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  uint8_t csrc_count = 0;
  std::array<uint32_t, 15> csrcs{};
  // Header extension (section 5.3.1): profile-defined 16 bits and 32-bit words of data.
  bool has_extension = false;
  uint16_t extension_profile = 0;
};

// A parsed packet; spans point into the caller's buffer.
struct RtpPacketView {
  RtpHeader header;
  std::span<const uint8_t> extension;  // extension data words, without the 4-byte ext header
  std::span<const uint8_t> payload;    // without padding
  uint8_t padding = 0;                 // padding bytes removed (P bit)
};

inline constexpr size_t kRtpFixedHeaderSize = 12;

// nullopt when the version is not 2 or the CSRC list, extension or padding overrun the buffer.
std::optional<RtpPacketView> parse_rtp(std::span<const uint8_t> packet);

// Header size for `header` (12 + 4*CSRC + extension) with `extension_words` of extension data.
size_t rtp_header_size(const RtpHeader& header, size_t extension_words = 0);
// Appends header, optional extension data (padded to 32-bit words), payload and optional
// padding (sets P when padding > 0; the last padding byte holds the count).
void append_rtp(std::vector<uint8_t>& out, const RtpHeader& header,
                std::span<const uint8_t> payload, std::span<const uint8_t> extension = {},
                uint8_t padding = 0);
// Writes just the fixed header + CSRCs (no extension) into out[0..rtp_header_size).
size_t write_rtp_header(const RtpHeader& header, uint8_t* out);

// Sequence number arithmetic modulo 2^16: positive when a is after b.
inline int16_t seq_diff(uint16_t a, uint16_t b) {
  return static_cast<int16_t>(static_cast<uint16_t>(a - b));
}

}  // namespace camleak::rtsp
