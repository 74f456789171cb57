#include "emulators/rtsp/rtp.hpp"

#include <gtest/gtest.h>

#include "emulators/rtsp/rtcp.hpp"

namespace camleak::rtsp {
namespace {

TEST(Rtp, RoundTripWithCsrcExtensionAndPadding) {
  RtpHeader h;
  h.marker = true;
  h.payload_type = 96;
  h.sequence = 0xFFFE;
  h.timestamp = 0xDEADBEEF;
  h.ssrc = 0x01020304;
  h.csrc_count = 2;
  h.csrcs[0] = 11;
  h.csrcs[1] = 22;
  h.has_extension = true;
  h.extension_profile = 0xBEDE;
  std::vector<uint8_t> ext = {1, 2, 3, 4, 5};  // padded to 8 bytes
  std::vector<uint8_t> payload = {0x65, 9, 8, 7};
  std::vector<uint8_t> packet;
  append_rtp(packet, h, payload, ext, 4);
  EXPECT_EQ(packet.size(), 12u + 8 + 4 + 8 + 4 + 4);
  auto v = parse_rtp(packet);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->header.marker);
  EXPECT_EQ(v->header.payload_type, 96);
  EXPECT_EQ(v->header.sequence, 0xFFFE);
  EXPECT_EQ(v->header.timestamp, 0xDEADBEEFu);
  EXPECT_EQ(v->header.ssrc, 0x01020304u);
  ASSERT_EQ(v->header.csrc_count, 2);
  EXPECT_EQ(v->header.csrcs[1], 22u);
  EXPECT_TRUE(v->header.has_extension);
  EXPECT_EQ(v->header.extension_profile, 0xBEDE);
  ASSERT_EQ(v->extension.size(), 8u);
  EXPECT_EQ(v->extension[4], 5);
  EXPECT_EQ(v->extension[5], 0);
  EXPECT_EQ(v->padding, 4);
  EXPECT_EQ(std::vector<uint8_t>(v->payload.begin(), v->payload.end()), payload);
}

TEST(Rtp, RejectsMalformedPackets) {
  RtpHeader h;
  std::vector<uint8_t> good;
  append_rtp(good, h, std::vector<uint8_t>{1, 2, 3});
  ASSERT_TRUE(parse_rtp(good));
  EXPECT_FALSE(parse_rtp(std::span(good).first(11)));  // shorter than the fixed header
  auto bad_version = good;
  bad_version[0] = 0x40;
  EXPECT_FALSE(parse_rtp(bad_version));
  auto csrc_overrun = good;
  csrc_overrun[0] |= 0x0F;  // 15 CSRCs in a 15-byte packet
  EXPECT_FALSE(parse_rtp(csrc_overrun));
  auto ext_overrun = good;
  ext_overrun[0] |= 0x10;
  EXPECT_FALSE(parse_rtp(ext_overrun));
  auto zero_padding = good;
  zero_padding[0] |= 0x20;
  zero_padding.back() = 0;
  EXPECT_FALSE(parse_rtp(zero_padding));
  auto huge_padding = good;
  huge_padding[0] |= 0x20;
  huge_padding.back() = 200;
  EXPECT_FALSE(parse_rtp(huge_padding));
}

TEST(Rtp, SequenceArithmeticWraps) {
  EXPECT_EQ(seq_diff(1, 65535), 2);
  EXPECT_EQ(seq_diff(65535, 1), -2);
  EXPECT_EQ(seq_diff(100, 100), 0);
}

TEST(Rtcp, NtpTimestampCountsFrom1900WithABinaryFraction) {
  using namespace std::chrono;
  EXPECT_EQ(ntp_timestamp(system_clock::time_point{}), uint64_t{2'208'988'800} << 32);
  const auto half_past = system_clock::time_point{seconds(10) + milliseconds(500)};
  EXPECT_EQ(ntp_timestamp(half_past), ((uint64_t{2'208'988'810}) << 32) | 0x80000000u);
}

TEST(Rtcp, SenderAndReceiverReportsRoundTripInOneCompound) {
  RtcpSenderReport sr;
  sr.ssrc = 0xAABBCCDD;
  sr.ntp_timestamp = 0x0123456789ABCDEFull;
  sr.rtp_timestamp = 90000;
  sr.packet_count = 1000;
  sr.octet_count = 1200000;
  sr.reports.push_back(RtcpReportBlock{1, 25, -3, 70000, 12, 0x89AB, 65536});
  RtcpReceiverReport rr;
  rr.ssrc = 7;
  rr.reports.push_back(RtcpReportBlock{0xAABBCCDD, 0, 1234567, 65536 + 17, 300, 1, 2});
  rr.reports.push_back(RtcpReportBlock{5, 255, -0x800000, 0, 0, 0, 0});
  std::vector<uint8_t> buf;
  append_rtcp_sr(buf, sr);
  append_rtcp_rr(buf, rr);
  buf.insert(buf.end(), {0x81, 203, 0x00, 0x01, 0, 0, 0, 7});  // a BYE, skipped
  EXPECT_EQ(buf.size(), 28u + 24 + 8 + 48 + 8);
  auto c = parse_rtcp(buf);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->sender_reports.size(), 1u);
  EXPECT_EQ(c->sender_reports[0], sr);
  ASSERT_EQ(c->receiver_reports.size(), 1u);
  EXPECT_EQ(c->receiver_reports[0], rr);
  EXPECT_EQ(c->other_packets, 1u);
}

TEST(Rtcp, RejectsTruncatedAndLyingLengths) {
  RtcpReceiverReport rr;
  rr.ssrc = 1;
  rr.reports.push_back({});
  std::vector<uint8_t> buf;
  append_rtcp_rr(buf, rr);
  EXPECT_FALSE(parse_rtcp(std::span(buf).first(buf.size() - 1)));
  auto lying_count = buf;
  lying_count[0] = 0x80 | 5;  // 5 blocks claimed, 1 present
  EXPECT_FALSE(parse_rtcp(lying_count));
  auto lying_length = buf;
  lying_length[3] = 200;
  EXPECT_FALSE(parse_rtcp(lying_length));
  EXPECT_FALSE(parse_rtcp({}));
}

}  // namespace
}  // namespace camleak::rtsp
