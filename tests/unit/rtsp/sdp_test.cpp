#include "emulators/rtsp/sdp.hpp"

#include <gtest/gtest.h>

namespace camleak::rtsp {
namespace {

const std::vector<uint8_t> kSps = {0x67, 0x42, 0xc0, 0x1f, 0xda, 0x01,
                                   0x40, 0x16, 0xec, 0x04, 0x40};
const std::vector<uint8_t> kPps = {0x68, 0xce, 0x3c, 0x80};

TEST(Sdp, BuildHasTheH264Attributes) {
  H264SdpParams p;
  p.sps = kSps;
  p.pps = kPps;
  p.session_id = 42;
  std::string sdp = build_h264_sdp(p);
  EXPECT_NE(sdp.find("m=video 0 RTP/AVP 96\r\n"), std::string::npos) << sdp;
  EXPECT_NE(sdp.find("a=rtpmap:96 H264/90000\r\n"), std::string::npos);
  EXPECT_NE(sdp.find("a=fmtp:96 packetization-mode=1;profile-level-id=42c01f;"
                     "sprop-parameter-sets=Z0LAH9oBQBbsBEA=,aM48gA==\r\n"),
            std::string::npos)
      << sdp;
  EXPECT_NE(sdp.find("a=control:streamid=0\r\n"), std::string::npos);
  EXPECT_EQ(sdp.rfind("v=0\r\n", 0), 0u);
}

TEST(Sdp, RoundTrip) {
  H264SdpParams p;
  p.sps = kSps;
  p.pps = kPps;
  p.payload_type = 97;
  p.control = "trackID=1";
  auto t = parse_h264_sdp(build_h264_sdp(p));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->payload_type, 97);
  EXPECT_EQ(t->clock_rate, 90000u);
  EXPECT_EQ(t->packetization_mode, 1);
  EXPECT_EQ(t->profile_level_id, "42c01f");
  EXPECT_EQ(t->sps, kSps);
  EXPECT_EQ(t->pps, kPps);
  EXPECT_EQ(t->control, "trackID=1");
  EXPECT_EQ(t->session_control, "*");
}

TEST(Sdp, PicksTheH264VideoAmongOtherMedia) {
  const std::string sdp =
      "v=0\n"
      "o=- 1 1 IN IP4 10.0.0.1\n"
      "s=Foreign camera\n"
      "t=0 0\n"
      "m=audio 0 RTP/AVP 0\n"
      "a=control:trackID=0\n"
      "m=video 0 RTP/AVP 26 98\n"
      "a=rtpmap:26 JPEG/90000\n"
      "a=rtpmap:98 h264/90000\n"
      "a=fmtp:98 profile-level-id=640028; packetization-mode=1\n"
      "a=control:rtsp://10.0.0.1/live/trackID=1\n";
  auto t = parse_h264_sdp(sdp);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->payload_type, 98);
  EXPECT_EQ(t->profile_level_id, "640028");
  EXPECT_TRUE(t->sps.empty());
  EXPECT_EQ(t->control, "rtsp://10.0.0.1/live/trackID=1");
}

// No H.264 video means nothing whose identity could be checked: the one refusal.
TEST(Sdp, RefusesOnlyWhenThereIsNoH264Video) {
  std::string error;
  EXPECT_FALSE(parse_h264_sdp("v=0\r\nm=audio 0 RTP/AVP 0\r\n", &error));
  EXPECT_NE(error.find("H264"), std::string::npos);
  EXPECT_FALSE(parse_h264_sdp("this is not sdp\r\n", &error));
  EXPECT_NE(error.find("H264"), std::string::npos);
}

// What ffmpeg skips is skipped, and each deviation is named with its RFC for the report's
// conformance notes; these SDPs used to make the whole play fail.
TEST(Sdp, ToleratesWhatFfmpegToleratesAndNamesEachDeviation) {
  const std::string sdp =
      "v=0\r\n"
      "this is not sdp\r\n"
      "m=application\r\n"
      "a=rtpmap:oops\r\n"
      "m=video 0 RTP/AVP 96\r\n"
      "a=rtpmap:96 H264/ninety\r\n"
      "a=rtpmap:x H264/90000\r\n"
      "a=fmtp:96 packetization-mode=7;sprop-parameter-sets=!!,aM48gA==\r\n"
      "a=control:trackID=0\r\n";
  auto t = parse_h264_sdp(sdp);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->payload_type, 96);
  EXPECT_EQ(t->clock_rate, 90000u);
  EXPECT_EQ(t->packetization_mode, 1);
  EXPECT_TRUE(t->sps.empty());
  EXPECT_EQ(t->pps, (std::vector<uint8_t>{0x68, 0xce, 0x3c, 0x80}));  // the readable one is kept
  EXPECT_EQ(t->control, "trackID=0");
  const std::vector<std::string> expected_rfc_sections = {
      "RFC 4566 5)",    "RFC 4566 5.14", "RFC 4566 6",  "RFC 4566 6",
      "RFC 6184 8.2.1", "RFC 6184 8.1",  "RFC 6184 8.1"};
  ASSERT_EQ(t->deviations.size(), expected_rfc_sections.size());
  for (size_t i = 0; i < expected_rfc_sections.size(); ++i) {
    EXPECT_NE(t->deviations[i].find(expected_rfc_sections[i]), std::string::npos)
        << t->deviations[i];
  }
  // A conforming SDP has none.
  auto clean = parse_h264_sdp(
      build_h264_sdp({.sps = {0x67, 0x42, 0, 0x1e}, .pps = {0x68, 0xce, 0x3c, 0x80}}));
  ASSERT_TRUE(clean);
  EXPECT_TRUE(clean->deviations.empty());
}

}  // namespace
}  // namespace camleak::rtsp
