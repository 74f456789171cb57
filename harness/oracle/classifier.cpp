#include "harness/oracle/classifier.hpp"

#include <algorithm>

namespace camleak::oracle {
namespace {

std::string_view to_string_view(DeliveryKind kind) {
  return kind == DeliveryKind::snapshot ? "snapshot" : "frame";
}

Verdict make(VerdictKind kind, const CameraTruth* camera, std::string reason) {
  Verdict verdict{.kind = kind, .reason = std::move(reason)};
  if (camera) {
    verdict.camera = camera->name;
    verdict.owner = camera->owner;
  }
  return verdict;
}

const CameraTruth* pixel_identity(const Observation& observation, const Visibility& visibility) {
  if (observation.pixel_code) return visibility.camera_by_pixel_code(*observation.pixel_code);
  if (observation.pixel_camera) return visibility.camera(*observation.pixel_camera);
  return nullptr;
}

}  // namespace

Verdict classify(const Observation& observation, const Visibility& visibility, Micros freshness) {
  const auto& sei = observation.sei;
  const CameraTruth* sei_camera = sei ? visibility.camera(sei->camera) : nullptr;
  const CameraTruth* pixel_camera = pixel_identity(observation, visibility);
  const std::optional<Micros> captured =
      sei ? std::optional<Micros>(sei->capture_time) : std::nullopt;
  const std::string what(to_string_view(observation.kind));
  const std::string& account = observation.account;

  // 1. A probe answered with media.
  if (observation.probe && observation.status != DecodeStatus::not_media) {
    const CameraTruth* shown = pixel_camera ? pixel_camera : sei_camera;
    Verdict verdict = make(VerdictKind::leak, shown,
                           "authorization probe by account '" + account + "' for camera '" +
                               observation.requested_camera + "' was answered with media");
    if (!shown) {
      verdict.camera = observation.requested_camera;
      if (const auto* requested = visibility.camera(observation.requested_camera))
        verdict.owner = requested->owner;
    }
    if (captured) verdict.age = observation.received_at - *captured;
    return verdict;
  }

  // 2. Any readable identity naming a camera this account cannot see. The SEI capture time only
  // applies to the camera the SEI names; a pixel code alone has no capture time.
  auto invisible = [&](const CameraTruth* camera, std::optional<Micros> capture) {
    return camera && !visibility.visible(*camera, account, observation.received_at, capture);
  };
  const bool sei_trusted = sei && sei->hmac_valid;
  const std::optional<Micros> pixel_capture =
      (pixel_camera && pixel_camera == sei_camera) ? captured : std::nullopt;
  struct Candidate {
    const CameraTruth* camera;
    std::optional<Micros> capture;
    const char* source;
  };
  // Most trustworthy source first, so the evidence names the strongest proof.
  const Candidate candidates[] = {
      {sei_trusted ? sei_camera : nullptr, captured, "SEI (HMAC valid)"},
      {pixel_camera, pixel_capture, "pixel code"},
      {sei_trusted ? nullptr : sei_camera, captured, "SEI (HMAC invalid)"},
  };
  for (const auto& candidate : candidates) {
    if (!invisible(candidate.camera, candidate.capture)) continue;
    Verdict verdict = make(VerdictKind::leak, candidate.camera,
                           what + " of camera '" + candidate.camera->name + "' (owner '" +
                               candidate.camera->owner + "') delivered to account '" + account +
                               "', which could not see it; identified by " + candidate.source);
    if (candidate.capture) verdict.age = observation.received_at - *candidate.capture;
    return verdict;
  }

  // 3. The two identities disagree.
  if (sei_camera && pixel_camera && sei_camera != pixel_camera) {
    return make(VerdictKind::splice, pixel_camera,
                "SEI names camera '" + sei_camera->name + "' but the pixel code names '" +
                    pixel_camera->name + "'");
  }

  // 4. The SEI is not authentic.
  if (sei && !sei->hmac_valid) {
    return make(VerdictKind::forged, sei_camera ? sei_camera : pixel_camera,
                "SEI naming camera '" + sei->camera + "' failed its HMAC check");
  }

  // 5. Nothing identifies the picture.
  const CameraTruth* identified = sei_camera ? sei_camera : pixel_camera;
  if (!identified) {
    std::string reason = "no readable identity";
    if (observation.status == DecodeStatus::corrupt)
      reason += " (decoder rejected the " + what + ")";
    if (observation.status == DecodeStatus::not_media) reason += " (not media)";
    if (sei) reason += "; SEI names camera '" + sei->camera + "', unknown to this run";
    if (observation.pixel_code && !pixel_camera)
      reason += "; pixel code " + std::to_string(*observation.pixel_code) + " names no camera";
    else if (observation.pixel_camera && !pixel_camera)
      reason +=
          "; pixel code names camera '" + *observation.pixel_camera + "', unknown to this run";
    Verdict verdict = make(VerdictKind::unverifiable, nullptr, std::move(reason));
    verdict.camera = observation.requested_camera;
    if (const auto* requested = visibility.camera(observation.requested_camera))
      verdict.owner = requested->owner;
    return verdict;
  }

  // 6. Visible and authentic, but old.
  Verdict verdict = make(VerdictKind::ok, identified, {});
  if (sei_camera && captured) {
    verdict.age = observation.received_at - *captured;
    if (observation.kind == DeliveryKind::live_frame && *verdict.age > freshness) {
      verdict.kind = VerdictKind::stale;
      verdict.reason = "frame of camera '" + identified->name + "' captured " +
                       format_seconds(*verdict.age) + " before delivery (bound " +
                       format_seconds(freshness) + ")";
    }
  }
  return verdict;
}

void judge_snapshot_age(Verdict& verdict, const Observation& observation, Micros last_sent,
                        Micros freshness) {
  if (observation.kind != DeliveryKind::snapshot || verdict.kind != VerdictKind::ok) return;
  const Micros age = std::max(Micros{0}, observation.received_at - last_sent);
  verdict.age = age;
  if (age <= freshness) return;
  verdict.kind = VerdictKind::stale;
  verdict.reason = "snapshot of camera '" + verdict.camera + "' delivered " + format_seconds(age) +
                   " after the camera last sent a frame (bound " + format_seconds(freshness) + ")";
}

}  // namespace camleak::oracle
