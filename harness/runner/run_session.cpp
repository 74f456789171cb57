#include "harness/runner/run_session.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "emulators/media/media_error.hpp"
#include "emulators/media/still_image.hpp"
#include "harness/core/errors.hpp"
#include "harness/core/host_port.hpp"
#include "harness/core/units.hpp"
#include "harness/proxy/proxy_thread.hpp"
#include "harness/proxy/session_routes.hpp"
#include "harness/runner/adapter_tls.hpp"
#include "harness/runner/admin_calls.hpp"
#include "harness/runner/builtin_sut.hpp"
#include "harness/runner/device_access.hpp"
#include "harness/runner/external_sut.hpp"
#include "harness/runner/media_routes.hpp"
#include "harness/runner/player.hpp"
#include "harness/runner/provisioner.hpp"
#include "reports/record_builder.hpp"
#include "reports/report_directory.hpp"

namespace camleak::runner {
namespace {

namespace fs = std::filesystem;

// Where each device's links lead: the addresses of the device's URLs under the adapter, worked
// out once per device (a large fleet has many links).
class Upstreams {
 public:
  Upstreams(const scenario::Scenario& scenario, const TemplateValues& values,
            const Credentials& credentials) {
    const auto& adapter = scenario.sut.adapter;
    for (const auto& camera : scenario.fleet.cameras)
      uplink_[camera.name] = camera_access(adapter, values, camera, credentials).upstream;
    for (const auto& hub : scenario.fleet.hubs) {
      const HubAccess access =
          hub_access(adapter, values, hub, address_cameras(scenario, hub), credentials);
      live_[hub.name] = access.live_upstream;
      snapshot_[hub.name] = access.snapshot_upstream;
    }
  }
  // "" for a link that leads nowhere (a snapshot link under an adapter without snapshots).
  std::string of(const scenario::Link& link) const {
    const auto& map = link.role == scenario::LinkRole::uplink ? uplink_
                      : link.role == scenario::LinkRole::live ? live_
                                                              : snapshot_;
    const auto it = map.find(link.device);
    return it == map.end() ? "" : it->second;
  }

 private:
  std::map<std::string, std::string> uplink_, live_, snapshot_;
};

uint16_t port_of(const std::string& host_port) {
  const AuthorityParse parsed = parse_authority(host_port);
  return parsed.authority ? parsed.authority->port.value_or(0) : 0;
}

// The proxy's tap rings as the evidence collector reads them.
class ProxyCaptures final : public reports::CaptureSource {
 public:
  explicit ProxyCaptures(const proxy::Proxy& proxy) : proxy_(proxy) {}
  std::vector<std::string> tapped_links(const std::string& prefix, Micros from,
                                        Micros to) const override {
    return proxy_.tapped_links(prefix, from, to);
  }
  size_t write_window(const std::string& link, Micros from, Micros to,
                      const std::string& path) const override {
    return proxy_.write_window(link, from, to, path);
  }

 private:
  const proxy::Proxy& proxy_;
};

// A fresh directory only this run uses (mkdtemp), for state a run keeps when it writes no report.
std::string make_private_directory() {
  std::string path = (fs::temp_directory_path() / "camleak-XXXXXX").string();
  if (::mkdtemp(path.data()) == nullptr)
    throw HarnessError("cannot create a private directory under " +
                       fs::temp_directory_path().string() + ": " + std::strerror(errno));
  return path;
}

std::string elapsed_text(Micros t) {
  return units::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(t));
}

}  // namespace

RunParts production_parts() {
  RunParts parts;
  parts.sut = [](const scenario::Scenario& scenario, const std::string& state_dir,
                 const std::atomic<bool>& interrupted) -> std::unique_ptr<SutDriver> {
    if (scenario.sut.kind == scenario::Sut::Kind::external)
      return std::make_unique<ExternalSutDriver>(scenario.sut.external, &interrupted);
    return std::make_unique<BuiltinSutDriver>(scenario.sut.builtin, state_dir,
                                              scenario.sut.adapter);
  };
  parts.admin = [](const scenario::Scenario& scenario, const SutEndpoints& endpoints,
                   const Credentials& credentials,
                   const std::atomic<bool>& interrupted) -> std::unique_ptr<SutAdmin> {
    const auto& adapter = scenario.sut.adapter;
    return std::make_unique<Provisioner>(
        adapter, TemplateValues(adapter, endpoints, credentials.run_id), &interrupted,
        std::chrono::seconds(5), adapter_client_tls(adapter, endpoints));
  };
  parts.fleet = [](FleetSetup setup) -> std::unique_ptr<DeviceFleet> {
    return std::make_unique<Fleet>(setup.scenario, setup.seed, setup.credentials, setup.ports,
                                   setup.clock, std::move(setup.hooks), setup.interrupted,
                                   &setup.values, setup.tls);
  };
  return parts;
}

RunSession::RunSession(const scenario::Scenario& scenario, const RunOptions& options,
                       Progress& progress, const std::atomic<bool>& interrupted, RunParts parts)
    : scenario_(scenario),
      options_(options),
      progress_(progress),
      interrupted_(interrupted),
      parts_(std::move(parts)),
      seed_(choose_seed(scenario, options)),
      timeline_(schedule::resolve(scenario, seed_)),
      inputs_(make_oracle_inputs(scenario, timeline_)),
      oracle_(inputs_.truth, inputs_.phases, inputs_.faults, inputs_.checks),
      evidence_(options.report_dir, options.evidence_limits),
      credentials_(make_credentials(scenario.fleet)) {
  auto& r = record_;
  r.scenario_name = scenario.name;
  r.scenario_description = scenario.description;
  r.scenario_file = scenario.file;
  r.seed = seed_;
  r.duration = scenario.duration;
  r.started = std::chrono::system_clock::now();
  r.repro_command = options.repro_prefix + " " +
                    (scenario.file.empty() ? scenario.name : scenario.file) + " --seed " +
                    std::to_string(seed_);
  for (const auto& a : timeline_.actions) r.schedule.push_back({a.time, schedule::action_text(a)});
  r.phases = inputs_.phases;
  r.faults = inputs_.faults;
}

RunSession::~RunSession() {
  teardown();
}

RunOutcome RunSession::run() {
  // Damaged media from a faulty SUT is expected here and judged by the oracle; FFmpeg's own
  // per-macroblock complaints would only bury the verdict.
  media::quiet_ffmpeg_logging();
  progress_.line("start", "== " + scenario_.name + " (seed " + std::to_string(seed_) + ")");
  try {
    start_sut();
    provision();
    build_links();
    build_fleet();
    play();
    collect();
  } catch (const InputError&) {
    teardown();
    throw;  // bad input found while starting (a malformed external URL): exit 2 from the CLI
  } catch (const std::exception& e) {
    fail(e.what());
  }
  teardown();
  finish();
  return RunOutcome{.exit_code = record_.exit_code, .record = record_};
}

void RunSession::fail(const std::string& error) {
  record_.harness_errors.push_back(error);
  if (interrupted_.load())
    record_.harness_errors.push_back("interrupted at " + elapsed_text(clock_.now()) +
                                     ", while starting or restarting");
}

void RunSession::start_sut() {
  // Every run owns its state directory: runs of one process (--jobs) must never share one.
  private_state_dir_ = options_.report_dir.empty();
  if (!private_state_dir_) fs::create_directories(options_.report_dir);
  state_dir_ = private_state_dir_ ? make_private_directory() : options_.report_dir;
  sut_ = parts_.sut(scenario_, state_dir_, interrupted_);
  progress_.line("sut", "starting " + sut_->describe());
  sut_->start();
  endpoints_ = sut_->endpoints();
}

void RunSession::provision() {
  values_ =
      std::make_unique<TemplateValues>(scenario_.sut.adapter, endpoints_, credentials_.run_id);
  admin_ = parts_.admin(scenario_, endpoints_, credentials_, interrupted_);
  admin_->provision(scenario_, credentials_);
}

void RunSession::build_links() {
  proxy::ProxyOptions proxy_options;
  proxy_options.seed = seed_;
  proxy_thread_ = std::make_unique<proxy::ProxyThread>(clock_, &events_, proxy_options);
  auto& proxy = proxy_thread_->proxy();
  const bool tap =
      !options_.report_dir.empty() &&
      scenario_.fleet.cameras.size() + scenario_.fleet.hubs.size() <= options_.max_devices_for_pcap;
  routes_ = std::make_shared<proxy::SessionRoutes>(proxy, tap);
  const Upstreams upstreams(scenario_, *values_, credentials_);
  for (const auto& link : scenario_.links) {
    // A link's RTSP (or HTTP) connection gets its stream stages; with RTP over UDP the
    // datagram stages go to the routes its sessions open.
    std::vector<impair::StageSpec> stream_stages, datagram_stages;
    for (const auto& spec : link.stages)
      (proxy.registry().is_datagram(spec.type) ? datagram_stages : stream_stages).push_back(spec);
    if (link.transport == impair::Transport::datagram)
      routes_->add_parent(link.name, datagram_stages);
    const std::string upstream = upstreams.of(link);
    if (upstream.empty()) {
      continue;  // a hub's snapshot link under an adapter without snapshots: never used
    }
    proxy::LinkConfig config{.name = link.name,
                             .listen = "127.0.0.1:0",
                             .upstream = upstream,
                             .protocol = proxy::Protocol::tcp,
                             .enabled = true,
                             .tap = {.ring = tap},
                             .epoch = Micros{0}};
    const proxy::LinkInfo info = proxy.add_link(config, stream_stages);
    auto& by_role = link.role == scenario::LinkRole::uplink ? ports_.uplink
                    : link.role == scenario::LinkRole::live ? ports_.live
                                                            : ports_.snapshot;
    by_role[link.device] = info.port;
    device_links_[link.device].push_back(link.name);
    const bool snapshot = link.role == scenario::LinkRole::snapshot;
    captured_links_[link.device].push_back({.name = link.name,
                                            .protocol = snapshot ? "http" : "rtsp",
                                            .server_port = port_of(upstream)});
  }
}

void RunSession::on_observation(const Observation& o, const media::Picture& picture) {
  const oracle::Verdict verdict = oracle_.judge(o);
  frames_checked_.fetch_add(1, std::memory_order_relaxed);
  if (verdict.kind == oracle::VerdictKind::ok) return;
  if (verdict.kind == oracle::VerdictKind::leak) leaks_.fetch_add(1, std::memory_order_relaxed);
  // The hub's links and the camera's: the path the offending frame took.
  std::vector<reports::CapturedLink> links;
  for (const auto& device : {o.hub, verdict.camera}) {
    if (const auto it = captured_links_.find(device); it != captured_links_.end())
      links.insert(links.end(), it->second.begin(), it->second.end());
  }
  evidence_.on_finding(
      o,
      [&picture] { return picture.empty() ? std::vector<uint8_t>{} : media::encode_png(picture); },
      links);
}

void RunSession::build_fleet() {
  FleetHooks hooks;
  hooks.on_operation = [this](const Operation& op) { oracle_.record(op); };
  hooks.on_frame_sent = [this](const emulators::FrameSent& f) {
    oracle_.record_sent(f.camera, f.sent_at);
  };
  hooks.udp_router = [routes = routes_](const std::string& link) {
    return media_router(routes, link);
  };
  hooks.on_observation = [this](const Observation& o, const media::Picture& picture) {
    on_observation(o, picture);
  };
  progress_.line("fleet", "encoding " + std::to_string(scenario_.fleet.cameras.size()) +
                              " camera loops, " + std::to_string(scenario_.fleet.hubs.size()) +
                              " hubs");
  fleet_ = parts_.fleet(FleetSetup{.scenario = scenario_,
                                   .seed = seed_,
                                   .credentials = credentials_,
                                   .ports = ports_,
                                   .clock = clock_,
                                   .hooks = std::move(hooks),
                                   .interrupted = &interrupted_,
                                   .values = *values_,
                                   .tls = adapter_client_tls(scenario_.sut.adapter, endpoints_)});
  player_ = std::make_unique<Player>(timeline_, scenario_.duration, clock_,
                                     PlayerTargets{.proxy = proxy_thread_->proxy(),
                                                   .fleet = *fleet_,
                                                   .sut = *sut_,
                                                   .admin = *admin_,
                                                   .events = events_,
                                                   .device_links = device_links_,
                                                   .routes = *routes_});
}

void RunSession::play() {
  const ProxyCaptures captures(proxy_thread_->proxy());
  clock_.restart();
  // Faults and shares written at 0 s are in force before any device sends its first byte,
  // whichever thread gets the CPU first.
  player_->play_initial();
  fleet_->start();
  player_->play([&](const std::string& phase) {
    if (interrupted_.load()) player_->stop();
    evidence_.write_due_pcaps(captures, clock_.now(), false);
    progress_.status({.scenario = scenario_.name,
                      .phase = phase,
                      .elapsed = clock_.now(),
                      .total = scenario_.duration,
                      .frames_checked = frames_checked_.load(),
                      .leaks = leaks_.load()});
  });
  run_end_ = std::min(clock_.now(), scenario_.duration);
  fleet_->stop();
  evidence_.write_due_pcaps(captures, clock_.now(), true);
}

void RunSession::collect() {
  for (const auto& e : player_->errors()) record_.harness_errors.push_back("timeline: " + e);
  for (const auto& n : player_->notes()) record_.notes.push_back("timeline: " + n);
  if (interrupted_.load())
    record_.harness_errors.push_back("interrupted at " + elapsed_text(run_end_));
  oracle::Results results = oracle_.finish(run_end_);
  results.checks.push_back(admin_calls_check(player_->admin_calls()));
  record_.sut_calls = sut_calls(player_->admin_calls());
  reports::add_oracle_results(record_, std::move(results));
  record_.duration = run_end_;
  collected_ = true;
}

void RunSession::teardown() {
  if (torn_down_) return;
  torn_down_ = true;
  // Reverse order of dependence: nothing may call into a destroyed part.
  if (player_) player_->stop();
  if (fleet_) {
    fleet_->stop();
    record_.fleet_counters = fleet_->totals();
    for (auto& n : fleet_->conformance_notes())
      record_.conformance.push_back(
          {.text = std::move(n.text), .count = n.count, .example = std::move(n.example)});
  }
  player_.reset();
  fleet_.reset();
  if (routes_) routes_->close();
  auto stored_events = events_.snapshot();
  record_.fault_events = stored_events;
  record_.fault_events_dropped = events_.dropped();
  // A device's many RTP routes are counted as one (`live:hub-2/rtp`).
  if (routes_) {
    for (auto& e : stored_events) routes_->relabel(e);
  }
  record_.fault_counters = reports::count_fault_events(stored_events);
  routes_.reset();
  proxy_thread_.reset();
  if (admin_) {
    for (auto& problem : admin_->clean_up()) record_.notes.push_back(std::move(problem));
  }
  admin_.reset();
  if (sut_) {
    if (const std::string problem = sut_->stop(); !problem.empty())
      record_.notes.push_back(problem);
  }
  sut_.reset();
  if (private_state_dir_ && !state_dir_.empty()) {
    std::error_code ec;  // a leftover temporary directory is not worth failing the run for
    if (fs::remove_all(state_dir_, ec); ec)
      record_.notes.push_back("could not remove " + state_dir_ + ": " + ec.message());
  }
}

void RunSession::finish() {
  evidence_.attach(record_);
  reports::fill_active_faults(record_);
  record_.finished = std::chrono::system_clock::now();
  // One rule for every output: a harness error is exit 3, else a failed check exit 1.
  record_.exit_code = reports::exit_code_of(record_);
  if (!options_.report_dir.empty()) {
    try {
      reports::write_report_directory(record_, options_.report_dir);
    } catch (const std::exception& e) {
      record_.harness_errors.push_back(e.what());
      record_.exit_code = reports::exit_code_of(record_);
    }
  }
  progress_.finish();
}

}  // namespace camleak::runner
