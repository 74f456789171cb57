#pragma once
// Shared scenario for the oracle tests: alice owns cam-a, bob owns cam-b, carol owns cam-c;
// cam-b is shared with alice during [10s, 20s). Times come from a manual clock.
#include <gtest/gtest.h>

#include <atomic>

#include "harness/core/clock.hpp"
#include "harness/core/observation.hpp"
#include "harness/oracle/ground_truth.hpp"

namespace camleak::oracle::test {

inline GroundTruth sample_truth() {
  GroundTruth truth;
  truth.accounts = {"alice", "bob", "carol"};
  truth.cameras = {{"cam-a", "alice", 101}, {"cam-b", "bob", 202}, {"cam-c", "carol", 303}};
  truth.shares = {{.camera = "cam-b", .account = "alice", .from = 10s, .until = 20s}};
  truth.hubs = {{"hub-1", "alice"}, {"hub-2", "bob"}};
  truth.freshness = 1s;
  truth.revoke_grace = 500ms;
  return truth;
}

inline SeiIdentity sei(const std::string& camera, const std::string& owner, uint64_t sequence,
                       Micros capture, bool hmac_valid = true) {
  return SeiIdentity{.version = 1,
                     .camera = camera,
                     .owner = owner,
                     .sequence = sequence,
                     .capture_time = capture,
                     .hmac_valid = hmac_valid};
}

// A live frame as hub-1 (alice) would report it, carrying both identities of `camera`.
inline Observation frame(const std::string& camera, uint32_t pixel_code, uint64_t sequence,
                         Micros capture, Micros received, const std::string& owner = "") {
  static std::atomic<uint64_t> next_id{1};
  Observation o;
  o.id = next_id++;
  o.kind = DeliveryKind::live_frame;
  o.hub = "hub-1";
  o.account = "alice";
  o.requested_camera = camera;
  o.received_at = received;
  o.sei = sei(camera, owner, sequence, capture);
  o.pixel_code = pixel_code;
  return o;
}

inline Observation snapshot(const std::string& requested, std::optional<uint32_t> pixel_code,
                            Micros received) {
  Observation o;
  o.kind = DeliveryKind::snapshot;
  o.hub = "hub-1";
  o.account = "alice";
  o.requested_camera = requested;
  o.received_at = received;
  o.pixel_code = pixel_code;
  return o;
}

}  // namespace camleak::oracle::test
