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

// Each listed counter summed over `devices`, under `group`; nothing for a fleet without any.
template <typename Devices, typename Counters, size_t N>
void add_totals(const char* group, const Devices& devices,
                const std::pair<const char*, uint64_t Counters::*> (&fields)[N],
                std::vector<reports::FleetCount>& out) {
  if (devices.empty()) return;
  Counters sum;
  for (const auto& device : devices) {
    const Counters c = device->counters();
    for (const auto& [name, member] : fields) sum.*member += c.*member;
  }
  for (const auto& [name, member] : fields) out.push_back({group, name, sum.*member});
}

}  // namespace

std::vector<reports::FleetCount> fleet_totals(const Fleet& fleet) {
  std::vector<reports::FleetCount> out;
  add_totals("hubs", fleet.hubs(), kHubCounters, out);
  add_totals("cameras", fleet.cameras(), kCameraCounters, out);
  return out;
}

}  // namespace camleak::runner
