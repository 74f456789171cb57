#pragma once
// The emulated fleet of one run: every camera and hub of the scenario, pointed at its own proxy
// link, on a shared io_context thread, with one decode pool for all hubs.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "emulators/camera/camera.hpp"
#include "emulators/hub/decode_pool.hpp"
#include "emulators/hub/hub.hpp"
#include "emulators/rtsp/conformance.hpp"
#include "harness/runner/adapter_requests.hpp"
#include "harness/runner/credentials.hpp"
#include "harness/runner/device_fleet.hpp"
#include "harness/scenario/scenario.hpp"

namespace camleak::runner {

// Where each device reaches the SUT: the listening ports of its proxy links.
struct DevicePorts {
  std::map<std::string, uint16_t> uplink;    // camera -> port
  std::map<std::string, uint16_t> live;      // hub -> port
  std::map<std::string, uint16_t> snapshot;  // hub -> port
};

struct FleetHooks {
  emulators::OperationSink on_operation;                           // any thread
  emulators::ObservationSink on_observation;                       // decode workers
  std::function<void(const emulators::FrameSent&)> on_frame_sent;  // io thread
  // The RTP-over-UDP router of a device link (`live:hub-2`), for devices with transport udp.
  std::function<rtsp::UdpRouter(const std::string& link)> udp_router;
};

class Fleet final : public DeviceFleet {
 public:
  // Builds every device (encodes the cameras' loops: the slow part of a large fleet's start).
  // Nothing connects before start(). Throws InputError / HarnessError (also when `interrupted`
  // becomes true while the loops are encoded).
  // `values` (may be null: the contract's URLs and credentials) expand the scenario's adapter
  // into each device's URLs and credentials.
  Fleet(const scenario::Scenario& scenario, uint64_t seed, const Credentials& credentials,
        const DevicePorts& ports, const Clock& clock, FleetHooks hooks,
        const std::atomic<bool>* interrupted = nullptr, const TemplateValues* values = nullptr,
        std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~Fleet() override;

  void start() override;
  // Stops every device and the decode pool; no hook runs after it returns. Idempotent.
  void stop() override;

  // The device's side of a reconnect storm: drop its sessions and dial again.
  void force_reconnect(const std::string& device) override;
  // `account` was granted `camera`: its hubs waiting to play it dial now instead of at the end
  // of their backoff (time to first frame then measures the SUT, not the hub's backoff).
  void share_granted(const std::string& camera, const std::string& account) override;

  emulators::CameraCounters camera_counters(const std::string& camera) const;
  emulators::HubCounters hub_counters(const std::string& hub) const;
  // The RFC deviations the devices tolerated from the SUT, totalled over every camera and hub:
  // one entry per note text (counts summed, the example of the first device in fleet order),
  // sorted by text. Thread-safe; callable while the fleet runs and after stop().
  std::vector<rtsp::ConformanceNote> conformance_notes() const override;
  std::vector<reports::FleetCount> totals() const override;
  const std::vector<std::shared_ptr<emulators::Camera>>& cameras() const { return cameras_; }
  const std::vector<std::shared_ptr<emulators::Hub>>& hubs() const { return hubs_; }

 private:
  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
  emulators::IdCounter ids_;
  media::RunKey key_;
  std::unique_ptr<emulators::DecodePool> pool_;
  std::vector<std::shared_ptr<emulators::Camera>> cameras_;
  std::vector<std::shared_ptr<emulators::Hub>> hubs_;
  std::map<std::string, std::shared_ptr<emulators::Camera>> camera_by_name_;
  std::map<std::string, std::shared_ptr<emulators::Hub>> hub_by_name_;
  bool stopped_ = false;
};

// The cameras `hub` watches live: its own (watch_own) and every camera ever shared with its
// account (watch_shared; while not shared, the SUT refuses and the hub retries with backoff).
std::vector<std::string> watched_cameras(const scenario::Scenario& scenario,
                                         const scenario::Hub& hub);
// Cameras the hub's account can never see during the run: the only safe probe targets.
std::vector<std::string> probe_targets(const scenario::Scenario& scenario,
                                       const scenario::Hub& hub);
// The cameras whose URLs decide where a hub's links lead: those it watches and its first probe
// target (every camera's URL must lead to the same address), or the first camera of the fleet.
std::vector<std::string> address_cameras(const scenario::Scenario& scenario,
                                         const scenario::Hub& hub);

}  // namespace camleak::runner
