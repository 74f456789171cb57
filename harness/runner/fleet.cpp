#include "harness/runner/fleet.hpp"

#include <algorithm>
#include <future>
#include <set>

#include "harness/core/errors.hpp"
#include "harness/runner/device_access.hpp"
#include "harness/runner/fleet_totals.hpp"

namespace camleak::runner {
namespace {

rtsp::RtpTransport rtp_transport(scenario::MediaTransport t) {
  return t == scenario::MediaTransport::udp ? rtsp::RtpTransport::udp
                                            : rtsp::RtpTransport::tcp_interleaved;
}

// The router of a device's RTP over UDP through the proxy (its link's session routes); none over
// TCP or when the fleet runs without a proxy.
rtsp::UdpRouter udp_router_of(const FleetHooks& hooks, scenario::MediaTransport transport,
                              scenario::LinkRole role, const std::string& device) {
  if (transport != scenario::MediaTransport::udp || !hooks.udp_router) return {};
  return hooks.udp_router(scenario::link_name(role, device));
}

uint16_t port_of(const std::map<std::string, uint16_t>& ports, const std::string& device,
                 const char* role) {
  const auto it = ports.find(device);
  if (it == ports.end())
    throw HarnessError(std::string("no ") + role + " link was created for " + device);
  return it->second;
}

}  // namespace

std::vector<std::string> watched_cameras(const scenario::Scenario& scenario,
                                         const scenario::Hub& hub) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  if (hub.watch_own) {
    for (const auto& camera : hub.own_cameras) {
      if (seen.insert(camera).second) out.push_back(camera);
    }
  }
  if (hub.watch_shared) {
    for (const auto& share : scenario.shares) {
      if (share.account == hub.account && seen.insert(share.camera).second)
        out.push_back(share.camera);
    }
  }
  return out;
}

std::vector<std::string> probe_targets(const scenario::Scenario& scenario,
                                       const scenario::Hub& hub) {
  std::set<std::string> ever_visible;
  for (const auto& camera : scenario.fleet.cameras) {
    if (camera.owner == hub.account) ever_visible.insert(camera.name);
  }
  for (const auto& share : scenario.shares) {
    if (share.account == hub.account) ever_visible.insert(share.camera);
  }
  std::vector<std::string> out;
  for (const auto& camera : scenario.fleet.cameras) {
    if (!ever_visible.contains(camera.name)) out.push_back(camera.name);
  }
  return out;
}

std::vector<std::string> address_cameras(const scenario::Scenario& scenario,
                                         const scenario::Hub& hub) {
  std::vector<std::string> out = watched_cameras(scenario, hub);
  if (const auto probes = probe_targets(scenario, hub); !probes.empty()) out.push_back(probes[0]);
  if (out.empty() && !scenario.fleet.cameras.empty()) out.push_back(scenario.fleet.cameras[0].name);
  return out;
}

Fleet::Fleet(const scenario::Scenario& scenario, uint64_t seed, const Credentials& credentials,
             const DevicePorts& ports, const Clock& clock, FleetHooks hooks,
             const std::atomic<bool>* interrupted, const TemplateValues* values,
             std::shared_ptr<boost::asio::ssl::context> tls)
    : work_(boost::asio::make_work_guard(io_)), key_(credentials.hmac_key) {
  std::vector<emulators::CameraConfig> camera_configs;
  for (const auto& camera : scenario.fleet.cameras) {
    emulators::CameraConfig c;
    c.name = camera.name;
    c.owner = camera.owner;
    c.secret = credentials.camera_secrets.at(camera.name);
    c.rtsp_port = port_of(ports.uplink, camera.name, "uplink");
    c.transport = rtp_transport(camera.transport);
    c.udp_router = udp_router_of(hooks, camera.transport, scenario::LinkRole::uplink, camera.name);
    if (values != nullptr) {
      CameraAccess access = camera_access(scenario.sut.adapter, *values, camera, credentials);
      c.scheme = access.scheme;
      c.publish_target = std::move(access.target);
      c.credentials = std::move(access.credentials);
      if (access.scheme == "rtsps") {
        c.tls = tls;
        c.tls_server_name = access.host;
      }
    }
    c.pixel_code = camera.code;
    c.width = static_cast<int>(camera.width);
    c.height = static_cast<int>(camera.height);
    c.fps = static_cast<int>(camera.fps);
    c.gop = static_cast<int>(camera.gop);
    c.bitrate_bps = static_cast<int64_t>(camera.bitrate_bps);
    c.seed = seed;
    emulators::validate(c);
    camera_configs.push_back(std::move(c));
  }
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const auto loops = emulators::encode_loops(camera_configs, threads, interrupted);

  // Decoding is the fleet's heaviest work; it runs beside the proxy, relay and I/O threads.
  pool_ = std::make_unique<emulators::DecodePool>(std::max(1u, threads));

  emulators::CameraHooks camera_hooks{.on_operation = hooks.on_operation,
                                      .on_frame_sent = hooks.on_frame_sent};
  for (size_t i = 0; i < camera_configs.size(); ++i) {
    auto camera = emulators::Camera::create(io_, clock, camera_configs[i], loops[i], key_, ids_,
                                            camera_hooks);
    camera_by_name_[camera_configs[i].name] = camera;
    cameras_.push_back(std::move(camera));
  }

  emulators::HubHooks hub_hooks{.on_operation = hooks.on_operation,
                                .on_observation = hooks.on_observation};
  for (const auto& hub : scenario.fleet.hubs) {
    emulators::HubConfig c;
    c.name = hub.name;
    c.account = hub.account;
    c.token = credentials.account_tokens.at(hub.account);
    c.rtsp_port = port_of(ports.live, hub.name, "live");
    c.transport = rtp_transport(hub.transport);
    c.udp_router = udp_router_of(hooks, hub.transport, scenario::LinkRole::live, hub.name);
    c.cameras = watched_cameras(scenario, hub);
    if (scenario.sut.adapter.snapshot_present &&
        (hub.snapshot_interval.count() > 0 || hub.probe_interval.count() > 0)) {
      c.http_port = port_of(ports.snapshot, hub.name, "snapshot");
    }
    c.snapshot_interval = hub.snapshot_interval;
    c.probe_interval = hub.probe_interval;
    c.probe_targets = probe_targets(scenario, hub);
    if (c.probe_targets.empty()) c.probe_interval = Micros{0};  // nothing it must not see
    if (values != nullptr) {
      HubAccess access = hub_access(scenario.sut.adapter, *values, hub,
                                    address_cameras(scenario, hub), credentials, tls);
      c.tls = tls;
      c.tls_server_name = access.host;
      c.snapshot_tls = access.snapshot_scheme == "https";
      c.snapshot_server_name = access.snapshot_host;
      c.scheme = access.scheme;
      c.credentials = std::move(access.credentials);
      c.play_target = std::move(access.play_target);
      c.snapshot_request = std::move(access.snapshot_request);
      c.issue_play = std::move(access.issue_play);
      if (!scenario.sut.adapter.snapshot_present) {
        c.snapshot_interval = Micros{0};  // the SUT serves none: nothing to poll or probe
        c.http_port = 0;
      }
    }
    c.seed = seed;
    emulators::validate(c);
    auto h = emulators::Hub::create(io_, clock, std::move(c), key_, ids_, *pool_, hub_hooks);
    hub_by_name_[hub.name] = h;
    hubs_.push_back(std::move(h));
  }
  thread_ = std::thread([this] { io_.run(); });
}

Fleet::~Fleet() {
  stop();
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void Fleet::start() {
  for (auto& camera : cameras_) camera->start();
  for (auto& hub : hubs_) hub->start();
}

void Fleet::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& hub : hubs_) hub->stop();
  for (auto& camera : cameras_) camera->stop();
  // Let the io thread finish the stop work it was handed before the pool goes away.
  std::promise<void> drained;
  boost::asio::post(io_, [&drained] { drained.set_value(); });
  drained.get_future().wait_for(std::chrono::seconds(10));
  pool_->stop();
}

void Fleet::force_reconnect(const std::string& device) {
  if (const auto it = camera_by_name_.find(device); it != camera_by_name_.end()) {
    it->second->force_reconnect();
    return;
  }
  if (const auto it = hub_by_name_.find(device); it != hub_by_name_.end())
    it->second->force_reconnect();
}

void Fleet::share_granted(const std::string& camera, const std::string& account) {
  for (auto& hub : hubs_)
    if (hub->config().account == account) hub->retry_now(camera);
}

emulators::CameraCounters Fleet::camera_counters(const std::string& camera) const {
  const auto it = camera_by_name_.find(camera);
  return it == camera_by_name_.end() ? emulators::CameraCounters{} : it->second->counters();
}

std::vector<rtsp::ConformanceNote> Fleet::conformance_notes() const {
  rtsp::Conformance total;
  // A tally shared by several devices is counted once.
  std::set<const rtsp::Conformance*> seen;
  auto add = [&](const rtsp::Conformance& tally) {
    if (seen.insert(&tally).second) total.absorb(tally);
  };
  for (const auto& camera : cameras_) add(camera->conformance());
  for (const auto& hub : hubs_) add(hub->conformance());
  return total.notes();
}

emulators::HubCounters Fleet::hub_counters(const std::string& hub) const {
  const auto it = hub_by_name_.find(hub);
  return it == hub_by_name_.end() ? emulators::HubCounters{} : it->second->counters();
}

std::vector<reports::FleetCount> Fleet::totals() const {
  return fleet_totals(*this);
}

}  // namespace camleak::runner
