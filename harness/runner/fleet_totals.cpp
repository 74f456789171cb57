#include "harness/runner/fleet_totals.hpp"

#include <utility>

#include "harness/runner/fleet.hpp"

namespace camleak::runner {
namespace {

using emulators::CameraCounters;
using emulators::HubCounters;

// The counters worth a reader's time, in report order.
constexpr std::pair<const char*, uint64_t HubCounters::*> kHubCounters[] = {
    {"play_attempts", &HubCounters::play_attempts},
    {"play_ok", &HubCounters::play_ok},
    {"play_failed", &HubCounters::play_failed},
    {"play_indeterminate", &HubCounters::play_indeterminate},
    {"sessions_lost", &HubCounters::sessions_lost},
    {"stalls", &HubCounters::stalls},
    {"rtp_packets", &HubCounters::rtp_packets},
    {"rtp_lost", &HubCounters::rtp_lost},
    {"rtcp_reports_sent", &HubCounters::rtcp_reports_sent},
    {"access_units_complete", &HubCounters::access_units_complete},
    {"access_units_incomplete", &HubCounters::access_units_incomplete},
    {"access_units_dropped", &HubCounters::access_units_dropped},
    {"frames_decoded", &HubCounters::frames_decoded},
    {"frames_corrupt", &HubCounters::frames_corrupt},
    {"frames_without_sei", &HubCounters::frames_without_sei},
    {"frames_without_pixel_code", &HubCounters::frames_without_pixel_code},
    {"snapshot_requests", &HubCounters::snapshot_requests},
    {"snapshot_ok", &HubCounters::snapshot_ok},
    {"snapshots_dropped", &HubCounters::snapshots_dropped},
    {"probes_sent", &HubCounters::probes_sent},
    {"probes_refused", &HubCounters::probes_refused},
    {"probes_granted", &HubCounters::probes_granted},
    {"observations", &HubCounters::observations},
    {"sut_parse_errors", &HubCounters::sut_parse_errors},
    {"sut_bad_messages", &HubCounters::sut_bad_messages},
    {"sut_garbage_bytes", &HubCounters::sut_garbage_bytes},
};

constexpr std::pair<const char*, uint64_t CameraCounters::*> kCameraCounters[] = {
    {"publish_attempts", &CameraCounters::publish_attempts},
    {"publish_ok", &CameraCounters::publish_ok},
    {"publish_failed", &CameraCounters::publish_failed},
    {"sessions_lost", &CameraCounters::sessions_lost},
    {"frames_sent", &CameraCounters::frames_sent},
    {"frames_dropped_local", &CameraCounters::frames_dropped_local},
    {"frames_skipped", &CameraCounters::frames_skipped},
    {"rtp_packets_sent", &CameraCounters::rtp_packets_sent},
    {"rtcp_reports_sent", &CameraCounters::rtcp_reports_sent},
    {"sut_bad_messages", &CameraCounters::sut_bad_messages},
    {"sut_garbage_bytes", &CameraCounters::sut_garbage_bytes},
};

}  // namespace

std::vector<reports::FleetCount> fleet_totals(const Fleet& fleet) {
  std::vector<reports::FleetCount> out;
  if (!fleet.hubs().empty()) {
    HubCounters sum;
    for (const auto& hub : fleet.hubs()) {
      const HubCounters c = hub->counters();
      for (const auto& [name, member] : kHubCounters) sum.*member += c.*member;
    }
    for (const auto& [name, member] : kHubCounters) out.push_back({"hubs", name, sum.*member});
  }
  if (!fleet.cameras().empty()) {
    CameraCounters sum;
    for (const auto& camera : fleet.cameras()) {
      const CameraCounters c = camera->counters();
      for (const auto& [name, member] : kCameraCounters) sum.*member += c.*member;
    }
    for (const auto& [name, member] : kCameraCounters) out.push_back({"cameras", name, sum.*member});
  }
  return out;
}

}  // namespace camleak::runner
