#include "emulators/rtsp/rtp.hpp"

namespace camleak::rtsp {
namespace {
uint16_t be16(const uint8_t* p) {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}
uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
void put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
}  // namespace

std::optional<RtpPacketView> parse_rtp(std::span<const uint8_t> p) {
  if (p.size() < kRtpFixedHeaderSize) return std::nullopt;
  if ((p[0] >> 6) != 2) return std::nullopt;
  RtpPacketView v;
  bool padding = (p[0] & 0x20) != 0;
  v.header.has_extension = (p[0] & 0x10) != 0;
  v.header.csrc_count = p[0] & 0x0F;
  v.header.marker = (p[1] & 0x80) != 0;
  v.header.payload_type = p[1] & 0x7F;
  v.header.sequence = be16(&p[2]);
  v.header.timestamp = be32(&p[4]);
  v.header.ssrc = be32(&p[8]);
  size_t off = kRtpFixedHeaderSize;
  if (p.size() < off + 4u * v.header.csrc_count) return std::nullopt;
  for (uint8_t i = 0; i < v.header.csrc_count; ++i) v.header.csrcs[i] = be32(&p[off + 4u * i]);
  off += 4u * v.header.csrc_count;
  if (v.header.has_extension) {
    if (p.size() < off + 4) return std::nullopt;
    v.header.extension_profile = be16(&p[off]);
    size_t words = be16(&p[off + 2]);
    off += 4;
    if (p.size() < off + 4 * words) return std::nullopt;
    v.extension = p.subspan(off, 4 * words);
    off += 4 * words;
  }
  size_t end = p.size();
  if (padding) {
    uint8_t count = p[end - 1];
    // The count includes itself, so 0 is invalid, and it cannot reach into the header.
    if (count == 0 || end - off < count) return std::nullopt;
    v.padding = count;
    end -= count;
  }
  v.payload = p.subspan(off, end - off);
  return v;
}

size_t rtp_header_size(const RtpHeader& h, size_t extension_words) {
  return kRtpFixedHeaderSize + 4u * (h.csrc_count & 0x0F) +
         (h.has_extension ? 4 + 4 * extension_words : 0);
}

size_t write_rtp_header(const RtpHeader& h, uint8_t* out) {
  uint8_t cc = h.csrc_count & 0x0F;
  out[0] = static_cast<uint8_t>(0x80 | (h.has_extension ? 0x10 : 0) | cc);
  out[1] = static_cast<uint8_t>((h.marker ? 0x80 : 0) | (h.payload_type & 0x7F));
  out[2] = static_cast<uint8_t>(h.sequence >> 8);
  out[3] = static_cast<uint8_t>(h.sequence);
  put32(out + 4, h.timestamp);
  put32(out + 8, h.ssrc);
  for (uint8_t i = 0; i < cc; ++i) put32(out + 12 + 4 * i, h.csrcs[i]);
  return kRtpFixedHeaderSize + 4u * cc;
}

void append_rtp(std::vector<uint8_t>& out, const RtpHeader& h, std::span<const uint8_t> payload,
                std::span<const uint8_t> extension, uint8_t padding) {
  size_t words = (extension.size() + 3) / 4;
  size_t start = out.size();
  out.resize(start + rtp_header_size(h, words));
  size_t off = start + write_rtp_header(h, out.data() + start);
  if (h.has_extension) {
    out[off] = static_cast<uint8_t>(h.extension_profile >> 8);
    out[off + 1] = static_cast<uint8_t>(h.extension_profile);
    out[off + 2] = static_cast<uint8_t>(words >> 8);
    out[off + 3] = static_cast<uint8_t>(words);
    off += 4;
    std::copy(extension.begin(), extension.end(), out.begin() + static_cast<std::ptrdiff_t>(off));
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(off + extension.size()), out.end(), 0);
  }
  out.insert(out.end(), payload.begin(), payload.end());
  if (padding > 0) {
    out[start] |= 0x20;
    out.insert(out.end(), padding - 1u, 0);
    out.push_back(padding);
  }
}

}  // namespace camleak::rtsp
