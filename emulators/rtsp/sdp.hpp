#pragma once
// SDP (RFC 4566) for one H.264 video stream (RFC 6184 section 8): what a camera ANNOUNCEs
// and what a relay answers to DESCRIBE. Only the subset camleak needs, but parsing tolerates
// other media, attributes and payload types (it picks the first H.264 video payload).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace camleak::rtsp {

struct H264SdpParams {
  std::string session_name = "camleak";
  std::string origin_address = "127.0.0.1";
  uint64_t session_id = 0;
  uint8_t payload_type = 96;
  int packetization_mode = 1;
  std::vector<uint8_t> sps;  // NAL units without start code (header byte included)
  std::vector<uint8_t> pps;
  // 6 hex digits; derived from SPS bytes 1..3 (profile_idc, constraints, level_idc) when empty.
  std::string profile_level_id;
  std::string control = "streamid=0";  // media-level a=control ("trackID=0" is also common)
};

std::string build_h264_sdp(const H264SdpParams& params);

struct H264SdpTrack {
  uint8_t payload_type = 96;
  uint32_t clock_rate = 90000;
  int packetization_mode = 0;  // RFC 6184 default when fmtp omits it
  std::string profile_level_id;
  std::vector<uint8_t> sps;  // empty when sprop-parameter-sets is absent (in-band only)
  std::vector<uint8_t> pps;
  std::string control;          // media-level a=control, unresolved ("" when absent)
  std::string session_control;  // session-level a=control, unresolved
  // What was tolerated on the way (a malformed line skipped, an unreadable clock rate), each a
  // conformance note's text naming the RFC; the track is still usable.
  std::vector<std::string> deviations;
};

// nullopt with an error when no H.264 video is found: the one refusal, as there is then nothing
// whose identity could be checked. Everything else ffmpeg tolerates is tolerated and listed in
// the track's `deviations`.
std::optional<H264SdpTrack> parse_h264_sdp(std::string_view sdp, std::string* error = nullptr);

}  // namespace camleak::rtsp
