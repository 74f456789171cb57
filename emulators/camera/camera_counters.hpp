#pragma once
// What one emulated camera did and what it saw from the SUT, for the run report.
#include <cstdint>

namespace camleak::emulators {

struct CameraCounters {
  uint64_t publish_attempts = 0;
  uint64_t publish_ok = 0;
  uint64_t publish_failed = 0;         // refused or definitely failed
  uint64_t publish_indeterminate = 0;  // cut mid-answer, timed out, cancelled by a redial
  uint64_t sessions_lost = 0;          // an established publish session dropped by the network/SUT
  uint64_t forced_redials = 0;         // force_reconnect() calls that dropped a connection
  uint64_t frames_sent = 0;            // every packet of the frame was accepted for sending
  uint64_t frames_dropped_local = 0;   // some packet refused (send queue full): frame not counted
  uint64_t frames_skipped = 0;         // pacing slots given up because the loop ran late
  uint64_t keyframes_sent = 0;
  uint64_t rtp_packets_sent = 0;
  uint64_t rtp_bytes_sent = 0;
  uint64_t rtcp_reports_sent = 0;  // sender reports
  // Bad input from the SUT, summed over every connection (from the RTSP client's counters).
  uint64_t sut_parse_errors = 0;
  uint64_t sut_bad_messages = 0;   // unframeable RTSP, oversize headers/bodies
  uint64_t sut_garbage_bytes = 0;  // bytes skipped while resynchronising
  uint64_t sut_unmatched_responses = 0;
  uint64_t sut_requests = 0;  // requests the SUT sent to the camera
};

}  // namespace camleak::emulators
