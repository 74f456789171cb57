#include "emulators/rtsp/rtcp.hpp"

#include <algorithm>

namespace camleak::rtsp {
namespace {

void put16(std::vector<uint8_t>& o, uint16_t v) {
  o.push_back(static_cast<uint8_t>(v >> 8));
  o.push_back(static_cast<uint8_t>(v));
}
void put32(std::vector<uint8_t>& o, uint32_t v) {
  put16(o, static_cast<uint16_t>(v >> 16));
  put16(o, static_cast<uint16_t>(v));
}
uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

constexpr uint8_t kSr = 200;
constexpr uint8_t kRr = 201;
constexpr size_t kBlockSize = 24;

void put_header(std::vector<uint8_t>& o, uint8_t count, uint8_t type, size_t body_bytes) {
  o.push_back(static_cast<uint8_t>(0x80 | (count & 0x1F)));
  o.push_back(type);
  put16(o, static_cast<uint16_t>((4 + body_bytes) / 4 - 1));  // length in words minus one
}

void put_block(std::vector<uint8_t>& o, const RtcpReportBlock& b) {
  put32(o, b.ssrc);
  uint32_t lost =
      static_cast<uint32_t>(std::clamp(b.cumulative_lost, -0x800000, 0x7FFFFF)) & 0xFFFFFF;
  put32(o, (uint32_t{b.fraction_lost} << 24) | lost);
  put32(o, b.highest_sequence);
  put32(o, b.jitter);
  put32(o, b.last_sr);
  put32(o, b.delay_since_last_sr);
}

RtcpReportBlock get_block(const uint8_t* p) {
  RtcpReportBlock b;
  b.ssrc = be32(p);
  uint32_t w = be32(p + 4);
  b.fraction_lost = static_cast<uint8_t>(w >> 24);
  int32_t lost = static_cast<int32_t>(w & 0xFFFFFF);
  if (lost & 0x800000) lost -= 0x1000000;  // sign-extend 24 bits
  b.cumulative_lost = lost;
  b.highest_sequence = be32(p + 8);
  b.jitter = be32(p + 12);
  b.last_sr = be32(p + 16);
  b.delay_since_last_sr = be32(p + 20);
  return b;
}

}  // namespace

void append_rtcp_sr(std::vector<uint8_t>& out, const RtcpSenderReport& sr) {
  size_t n = std::min<size_t>(sr.reports.size(), 31);
  put_header(out, static_cast<uint8_t>(n), kSr, 24 + n * kBlockSize);
  put32(out, sr.ssrc);
  put32(out, static_cast<uint32_t>(sr.ntp_timestamp >> 32));
  put32(out, static_cast<uint32_t>(sr.ntp_timestamp));
  put32(out, sr.rtp_timestamp);
  put32(out, sr.packet_count);
  put32(out, sr.octet_count);
  for (size_t i = 0; i < n; ++i) put_block(out, sr.reports[i]);
}

void append_rtcp_rr(std::vector<uint8_t>& out, const RtcpReceiverReport& rr) {
  size_t n = std::min<size_t>(rr.reports.size(), 31);
  put_header(out, static_cast<uint8_t>(n), kRr, 4 + n * kBlockSize);
  put32(out, rr.ssrc);
  for (size_t i = 0; i < n; ++i) put_block(out, rr.reports[i]);
}

std::optional<RtcpCompound> parse_rtcp(std::span<const uint8_t> data) {
  RtcpCompound out;
  if (data.empty()) return std::nullopt;
  size_t off = 0;
  while (off < data.size()) {
    if (data.size() - off < 4) return std::nullopt;
    const uint8_t* p = data.data() + off;
    if ((p[0] >> 6) != 2) return std::nullopt;
    uint8_t count = p[0] & 0x1F;
    uint8_t type = p[1];
    size_t len = (size_t{(static_cast<size_t>(p[2]) << 8) | p[3]} + 1) * 4;
    if (len > data.size() - off) return std::nullopt;
    // Padding (P bit) may only trail the last packet; the reports come before it anyway.
    if (type == kSr) {
      if (len < 28 + count * kBlockSize) return std::nullopt;
      RtcpSenderReport sr;
      sr.ssrc = be32(p + 4);
      sr.ntp_timestamp = (uint64_t{be32(p + 8)} << 32) | be32(p + 12);
      sr.rtp_timestamp = be32(p + 16);
      sr.packet_count = be32(p + 20);
      sr.octet_count = be32(p + 24);
      for (uint8_t i = 0; i < count; ++i) sr.reports.push_back(get_block(p + 28 + i * kBlockSize));
      out.sender_reports.push_back(std::move(sr));
    } else if (type == kRr) {
      if (len < 8 + count * kBlockSize) return std::nullopt;
      RtcpReceiverReport rr;
      rr.ssrc = be32(p + 4);
      for (uint8_t i = 0; i < count; ++i) rr.reports.push_back(get_block(p + 8 + i * kBlockSize));
      out.receiver_reports.push_back(std::move(rr));
    } else {
      ++out.other_packets;
    }
    off += len;
  }
  return out;
}

uint64_t ntp_timestamp(std::chrono::system_clock::time_point t) {
  constexpr uint64_t kNtpUnixOffset = 2'208'988'800ull;  // seconds from 1900 to 1970
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  const uint64_t seconds = static_cast<uint64_t>(micros / 1'000'000) + kNtpUnixOffset;
  const uint64_t fraction = (static_cast<uint64_t>(micros % 1'000'000) << 32) / 1'000'000;
  return (seconds << 32) | fraction;
}

}  // namespace camleak::rtsp
