#pragma once
// Classifies one delivered frame or snapshot. Pure: the same observation and ground truth always
// give the same verdict; no clock, no state.
//
// Identities: the SEI names a camera (trusted as authentic only when its HMAC checks); the pixel
// code names a camera through the ground truth's pixel codes (an Observation may also carry the
// camera name directly in pixel_camera). A pixel code or SEI camera name that no camera of this
// run has is treated as unreadable, not as a leak: it cannot name anybody's camera.
//
// Precedence, first rule that matches wins:
//  1. LEAK   the observation answers an authorization probe with media (anything but
//            DecodeStatus::not_media), whatever camera it shows: the SUT served a request it
//            had to refuse.
//  2. LEAK   any readable identity (SEI with or without a valid HMAC, or pixel code) names a
//            camera the receiving account could not see at delivery time. This comes before
//            SPLICE and FORGED on purpose: nothing that shows a stranger's camera can hide
//            behind a lesser verdict. Snapshots only carry the pixel code, which is enough.
//  3. SPLICE the SEI and the pixel code name two different (visible) cameras.
//  4. FORGED an SEI is present and its HMAC fails.
//  5. UNVERIFIABLE no identity could be read (no SEI, no known pixel code; undecodable bytes).
//  6. STALE  a live frame whose authentic SEI capture time is older than the freshness bound at
//            delivery: the "frozen frame from a cache" failure. Snapshots carry no capture time
//            of their own; see judge_snapshot_age for the bound that applies to them.
//  7. OK.
// Revocation (see Visibility::visible): a frame captured before a revoke and delivered within
// revoke_grace after it is visible; a frame captured after the revoke, or delivered after the
// grace, is a leak.
#include "harness/core/observation.hpp"
#include "harness/oracle/ground_truth.hpp"
#include "harness/oracle/verdict.hpp"

namespace camleak::oracle {

Verdict classify(const Observation& observation, const Visibility& visibility, Micros freshness);

// A snapshot cannot be newer than the newest frame its camera sent, so when that camera last sent
// at `last_sent`, the snapshot is at least (received_at - last_sent) old. Sets the verdict's age
// to that lower bound and turns an OK snapshot STALE when it exceeds `freshness` (a cache serving
// a picture of a camera that has been silent, e.g. partitioned, for longer than the bound).
// Only OK snapshots are affected; everything else is returned unchanged.
void judge_snapshot_age(Verdict& verdict, const Observation& observation, Micros last_sent,
                        Micros freshness);

}  // namespace camleak::oracle
