#pragma once
// Minimal RTCP (RFC 3550 section 6.4): sender reports (SR, PT 200) and receiver reports
// (RR, PT 201) with report blocks, built and parsed. Compound packets are walked; other
// packet types (SDES, BYE, APP) are counted and skipped.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace camleak::rtsp {

struct RtcpReportBlock {
  uint32_t ssrc = 0;                 // source this block reports on
  uint8_t fraction_lost = 0;         // fixed point /256 since the last report
  int32_t cumulative_lost = 0;       // 24-bit signed
  uint32_t highest_sequence = 0;     // extended highest sequence number received
  uint32_t jitter = 0;               // interarrival jitter, timestamp units
  uint32_t last_sr = 0;              // middle 32 bits of the last SR's NTP timestamp
  uint32_t delay_since_last_sr = 0;  // 1/65536 s
  bool operator==(const RtcpReportBlock&) const = default;
};

struct RtcpSenderReport {
  uint32_t ssrc = 0;
  uint64_t ntp_timestamp = 0;  // 32.32 fixed point seconds since 1900
  uint32_t rtp_timestamp = 0;
  uint32_t packet_count = 0;
  uint32_t octet_count = 0;
  std::vector<RtcpReportBlock> reports;  // at most 31
  bool operator==(const RtcpSenderReport&) const = default;
};

struct RtcpReceiverReport {
  uint32_t ssrc = 0;
  std::vector<RtcpReportBlock> reports;  // at most 31
  bool operator==(const RtcpReceiverReport&) const = default;
};

struct RtcpCompound {
  std::vector<RtcpSenderReport> sender_reports;
  std::vector<RtcpReceiverReport> receiver_reports;
  uint32_t other_packets = 0;  // SDES, BYE, APP, ... skipped
};

// Appends one packet; report blocks beyond 31 are not written.
void append_rtcp_sr(std::vector<uint8_t>& out, const RtcpSenderReport& sr);
void append_rtcp_rr(std::vector<uint8_t>& out, const RtcpReceiverReport& rr);
// nullopt when any packet of the compound is malformed (version, length, report count).
std::optional<RtcpCompound> parse_rtcp(std::span<const uint8_t> data);

// A wall-clock time as an SR's NTP timestamp (32.32 fixed point seconds since 1900).
uint64_t ntp_timestamp(std::chrono::system_clock::time_point t);

}  // namespace camleak::rtsp
