#pragma once
// The emulated devices of a run as the session and the timeline player drive them. Fleet (real
// cameras and hubs on sockets) is the implementation; tests hand in fakes that deliver chosen
// observations through the hooks.
#include <string>
#include <vector>

#include "emulators/rtsp/conformance.hpp"
#include "reports/run_record.hpp"

namespace camleak::runner {

class DeviceFleet {
 public:
  virtual ~DeviceFleet() = default;
  virtual void start() = 0;
  // Stops every device; no hook runs after it returns. Idempotent.
  virtual void stop() = 0;
  // The device's side of a reconnect storm: drop its sessions and dial again.
  virtual void force_reconnect(const std::string& device) = 0;
  // `account` was granted `camera`: its hubs waiting to play it dial now.
  virtual void share_granted(const std::string& camera, const std::string& account) = 0;
  // The devices' counters summed for the report, and the RFC deviations they tolerated.
  virtual std::vector<reports::FleetCount> totals() const = 0;
  virtual std::vector<rtsp::ConformanceNote> conformance_notes() const = 0;
};

}  // namespace camleak::runner
