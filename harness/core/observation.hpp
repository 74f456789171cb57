#pragma once
// What a hub saw: one record per delivered frame or snapshot, and one per operation it tried.
// This is the contract between the emulators (which produce it) and the oracle (which judges
// it). Identities here are exactly what was read from the media, never what the SUT claimed.
#include <cstdint>
#include <optional>
#include <string>

#include "harness/core/clock.hpp"

namespace camleak {

// Identity read from the H.264 SEI user_data_unregistered message of a frame.
struct SeiIdentity {
  uint32_t version = 0;
  std::string camera;
  std::string owner;        // owner account as stamped by the camera
  uint64_t sequence = 0;    // per-camera frame sequence number
  Micros capture_time{};    // run clock time at capture
  bool hmac_valid = false;  // HMAC over the fields and the slice hash checked with the run key
};

enum class DeliveryKind { live_frame, snapshot };

enum class DecodeStatus {
  ok,         // decoded to a picture
  corrupt,    // decoder rejected it
  not_media,  // the bytes were not video/JPEG at all
};

struct Observation {
  uint64_t id = 0;  // unique per run, assigned by the producer
  DeliveryKind kind = DeliveryKind::live_frame;
  std::string hub;
  std::string account;             // account the hub is logged in as
  std::string requested_camera;    // camera the hub asked for
  bool probe = false;              // true when the hub asked for a camera it must NOT see
  Micros received_at{};            // run clock time the frame was complete at the hub
  std::optional<SeiIdentity> sei;  // absent: no SEI with our UUID (snapshots never have one)
  std::optional<std::string> pixel_camera;  // absent: no pixel code found
  // The numeric pixel code as read from the luma plane (check code already verified). The oracle
  // maps it to a camera through its ground truth; when both are set, pixel_code wins.
  std::optional<uint32_t> pixel_code;
  DecodeStatus status = DecodeStatus::ok;
};

// One operation in the Jepsen manner: an invoke, then exactly one completion.
// info = the outcome is unknown (a connection cut mid-answer); never judged as a failure.
enum class OperationType { publish, play, snapshot, probe_play, probe_snapshot };
enum class CompletionType { ok, fail, info };

struct Operation {
  uint64_t id = 0;
  std::string process;  // hub or camera name
  std::string account;  // account it acted as ("" for cameras)
  OperationType type = OperationType::play;
  std::string camera;  // target camera
  Micros invoked_at{};
  Micros completed_at{};
  CompletionType completion = CompletionType::info;
  int status_code = 0;  // RTSP/HTTP status, 0 when none arrived
  std::string detail;   // human-readable reason
};

}  // namespace camleak
