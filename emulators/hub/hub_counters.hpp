#pragma once
// What one emulated hub did and what it got from the SUT, for the run report. Bad input from
// the SUT (garbage, oversize frames, stalls, resets) shows up here, never as a crash.
#include <cstdint>

namespace camleak::emulators {

struct HubCounters {
  // Live play sessions of watched cameras.
  uint64_t play_attempts = 0;
  uint64_t play_ok = 0;
  uint64_t play_failed = 0;
  uint64_t play_indeterminate = 0;
  uint64_t sessions_lost = 0;  // established session dropped (reset, keep-alive failure, garbage)
  uint64_t stalls = 0;         // no media for media_timeout: dropped and redialled
  uint64_t forced_redials = 0;
  uint64_t resume_hints_sent = 0;  // SETUP carried the previous Session id

  // Media path.
  uint64_t rtp_packets = 0;
  uint64_t rtp_invalid = 0;  // not RTP at all
  uint64_t rtp_lost = 0;
  uint64_t rtp_garbage_bytes = 0;  // bad packets, malformed aggregation/fragmentation
  uint64_t rtcp_reports_sent = 0;  // receiver reports
  uint64_t access_units_complete = 0;
  uint64_t access_units_incomplete = 0;
  uint64_t access_units_oversize = 0;
  uint64_t access_units_dropped = 0;  // decode pool behind: queue cap reached
  uint64_t frames_decoded = 0;        // DecodeStatus::ok
  uint64_t frames_corrupt = 0;
  uint64_t frames_not_media = 0;
  uint64_t frames_without_sei = 0;
  uint64_t frames_without_pixel_code = 0;

  // Snapshot polling (not probes).
  uint64_t snapshot_requests = 0;
  uint64_t snapshot_ok = 0;         // 200 with a body
  uint64_t snapshot_refused = 0;    // 401/403/404
  uint64_t snapshot_errors = 0;     // other statuses, connect failures
  uint64_t snapshot_cut = 0;        // cut, timeout, garbage
  uint64_t snapshot_too_large = 0;  // header or body over the cap
  uint64_t snapshot_not_jpeg = 0;
  uint64_t snapshots_skipped_busy = 0;  // previous request for that camera still running
  uint64_t snapshots_dropped = 0;       // decode pool behind

  // Authorization probes (both kinds).
  uint64_t probes_sent = 0;
  uint64_t probes_refused = 0;        // fail: the SUT said no
  uint64_t probes_granted = 0;        // ok: the SUT gave media / a snapshot
  uint64_t probes_indeterminate = 0;  // info: cut mid-answer
  uint64_t probes_skipped_busy = 0;

  uint64_t observations = 0;

  // RTSP protocol trouble from the SUT, summed over every connection.
  uint64_t sut_parse_errors = 0;
  uint64_t sut_bad_messages = 0;
  uint64_t sut_garbage_bytes = 0;
  uint64_t sut_unmatched_responses = 0;
};

}  // namespace camleak::emulators
