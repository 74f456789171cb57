#include "harness/runner/run.hpp"

#include <openssl/rand.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "emulators/media/media_error.hpp"
#include "emulators/media/still_image.hpp"
#include "harness/core/errors.hpp"
#include "harness/core/units.hpp"
#include "harness/impair/registry.hpp"
#include "harness/oracle/synchronized_oracle.hpp"
#include "harness/proxy/proxy_thread.hpp"
#include "harness/runner/builtin_sut.hpp"
#include "harness/runner/credentials.hpp"
#include "harness/runner/external_sut.hpp"
#include "harness/runner/fleet.hpp"
#include "harness/runner/fleet_totals.hpp"
#include "harness/runner/media_routes.hpp"
#include "harness/runner/oracle_inputs.hpp"
#include "harness/runner/player.hpp"
#include "harness/runner/provisioner.hpp"
#include "harness/runner/run_clock.hpp"
#include "harness/schedule/timeline.hpp"
#include "reports/evidence_collector.hpp"
#include "reports/record_builder.hpp"
#include "reports/report_directory.hpp"

namespace camleak::runner {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<SutDriver> make_sut(const scenario::Scenario& scenario,
                                    const std::string& state_dir,
                                    const std::atomic<bool>& interrupted) {
  if (scenario.sut.kind == scenario::Sut::Kind::external) {
    return std::make_unique<ExternalSutDriver>(scenario.sut.external, &interrupted);
  }
  return std::make_unique<BuiltinSutDriver>(scenario.sut.builtin, state_dir);
}

std::string upstream_for(const scenario::Link& link, const SutEndpoints& sut) {
  auto host = [](const std::string& h) {
    return h.find(':') != std::string::npos ? "[" + h + "]" : h;
  };
  if (link.role == scenario::LinkRole::snapshot)
    return host(sut.http_host) + ":" + std::to_string(sut.http_port);
  return host(sut.rtsp_host) + ":" + std::to_string(sut.rtsp_port);
}

std::string action_text(const schedule::TimedAction& a) {
  std::string text(schedule::to_string(a.kind));
  auto list = [](const std::vector<std::string>& items) {
    std::string out;
    for (size_t i = 0; i < items.size() && i < 6; ++i) out += (i ? ", " : " ") + items[i];
    if (items.size() > 6) out += " (+" + std::to_string(items.size() - 6) + " more)";
    return out;
  };
  if (!a.stages.empty()) {
    text += " [";
    for (size_t i = 0; i < a.stages.size(); ++i)
      text += (i ? "; " : "") + schedule::stage_text(a.stages[i]);
    text += "]";
  }
  if (!a.stage_names.empty()) text += list(a.stage_names);
  if (!a.links.empty()) text += " on" + list(a.links);
  if (!a.devices.empty()) text += " devices" + list(a.devices);
  if (!a.camera.empty()) text += " " + a.camera + " with " + a.account;
  if (!a.phase.empty()) text += " " + a.phase;
  if (!a.note.empty()) text += " (" + a.note + ")";
  return text;
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

// The SUT must accept every share and revoke of the timeline: one it refused leaves the
// entitlements unlike the ground truth, so the run cannot vouch for its verdict on them.
oracle::CheckResult admin_calls_check(const std::vector<AdminCall>& calls) {
  oracle::CheckResult check{
      .check = "admin_calls_accepted", .phase = "run", .limit = 0, .unit = "count"};
  const AdminCall* first = nullptr;
  size_t refused = 0;
  for (const auto& c : calls) {
    if (c.accepted) continue;
    ++refused;
    if (!first) first = &c;
  }
  check.measured = static_cast<double>(refused);
  check.passed = refused == 0;
  check.message = std::to_string(calls.size()) + " share/revoke call(s) sent, " +
                  std::to_string(refused) + " refused";
  if (first)
    check.message += "; first: " + std::string(schedule::to_string(first->kind)) + " " +
                     first->camera + " with " + first->account + ": " + first->error;
  return check;
}

std::vector<reports::SutCall> sut_calls(const std::vector<AdminCall>& calls) {
  std::vector<reports::SutCall> out;
  for (const auto& c : calls)
    out.push_back(
        {.action = std::string(schedule::to_string(c.kind)) + " " + c.camera + " with " + c.account,
         .time = c.time,
         .sent_at = c.sent_at,
         .done_at = c.done_at,
         .accepted = c.accepted,
         .error = c.error});
  return out;
}

}  // namespace

uint64_t choose_seed(const scenario::Scenario& scenario, const RunOptions& options) {
  if (options.seed) return *options.seed;
  if (scenario.seed) return *scenario.seed;
  uint64_t seed = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed);
  return seed % 1'000'000'000;  // short enough to type in a repro command
}

RunOutcome run_scenario(const scenario::Scenario& scenario, const RunOptions& options,
                        Progress& progress, const std::atomic<bool>& interrupted) {
  // Damaged media from a faulty SUT is expected here and judged by the oracle; FFmpeg's own
  // per-macroblock complaints would only bury the verdict.
  media::quiet_ffmpeg_logging();
  RunOutcome out;
  auto& record = out.record;
  const uint64_t seed = choose_seed(scenario, options);
  record.scenario_name = scenario.name;
  record.scenario_description = scenario.description;
  record.scenario_file = scenario.file;
  record.seed = seed;
  record.duration = scenario.duration;
  record.started = std::chrono::system_clock::now();
  record.repro_command = options.repro_prefix + " " +
                         (scenario.file.empty() ? scenario.name : scenario.file) + " --seed " +
                         std::to_string(seed);

  const schedule::Timeline timeline = schedule::resolve(scenario, seed);
  for (const auto& a : timeline.actions) record.schedule.push_back({a.time, action_text(a)});
  OracleInputs inputs = make_oracle_inputs(scenario, timeline);
  record.phases = inputs.phases;
  record.faults = inputs.faults;
  oracle::SynchronizedOracle oracle(inputs.truth, inputs.phases, inputs.faults, inputs.checks);

  progress.line("start", "== " + scenario.name + " (seed " + std::to_string(seed) + ")");
  EventLog events;
  RunClock clock;
  std::atomic<uint64_t> frames_checked{0};
  std::atomic<uint64_t> leaks{0};
  reports::EvidenceCollector evidence(options.report_dir, options.evidence_limits);
  if (!options.report_dir.empty()) fs::create_directories(options.report_dir);

  // Every run owns its state directory: runs of one process (--jobs) must never share one.
  std::string state_dir;
  std::unique_ptr<SutDriver> sut;
  std::unique_ptr<proxy::ProxyThread> proxy_thread;
  std::shared_ptr<MediaRoutes> routes;
  std::unique_ptr<Fleet> fleet;
  std::unique_ptr<Player> player;
  try {
    state_dir = options.report_dir.empty() ? make_private_directory() : options.report_dir;
    sut = make_sut(scenario, state_dir, interrupted);
    progress.line("sut", "starting " + sut->describe());
    sut->start();
    const SutEndpoints endpoints = sut->endpoints();
    const Credentials credentials = make_credentials(scenario.fleet);
    Provisioner provisioner(endpoints.admin, &interrupted);
    provisioner.provision(scenario, credentials);

    proxy::ProxyOptions proxy_options;
    proxy_options.seed = seed;
    proxy_thread = std::make_unique<proxy::ProxyThread>(clock, &events, proxy_options);
    auto& proxy = proxy_thread->proxy();
    const bool tap =
        !options.report_dir.empty() &&
        scenario.fleet.cameras.size() + scenario.fleet.hubs.size() <= options.max_devices_for_pcap;
    DevicePorts ports;
    std::map<std::string, std::vector<std::string>> device_links;  // device -> its link names
    std::map<std::string, std::vector<reports::CapturedLink>>
        captured_links;  // device -> its links
    routes = std::make_shared<MediaRoutes>(proxy, tap);
    for (const auto& link : scenario.links) {
      // A link's RTSP (or HTTP) connection gets its stream stages; with RTP over UDP the
      // datagram stages go to the routes its sessions open.
      std::vector<impair::StageSpec> stream_stages, datagram_stages;
      for (const auto& spec : link.stages)
        (impair::Registry::builtin().is_datagram(spec.type) ? datagram_stages : stream_stages)
            .push_back(spec);
      if (link.transport == impair::Transport::datagram)
        routes->add_parent(link.name, datagram_stages);
      proxy::LinkConfig config{.name = link.name,
                               .listen = "127.0.0.1:0",
                               .upstream = upstream_for(link, endpoints),
                               .protocol = proxy::Protocol::tcp,
                               .enabled = true,
                               .tap = {.ring = tap},
                               .epoch = Micros{0}};
      const proxy::LinkInfo info = proxy.add_link(config, stream_stages);
      auto& by_role = link.role == scenario::LinkRole::uplink ? ports.uplink
                      : link.role == scenario::LinkRole::live ? ports.live
                                                              : ports.snapshot;
      by_role[link.device] = info.port;
      device_links[link.device].push_back(link.name);
      const bool snapshot = link.role == scenario::LinkRole::snapshot;
      captured_links[link.device].push_back(
          {.name = link.name,
           .protocol = snapshot ? "http" : "rtsp",
           .server_port = snapshot ? endpoints.http_port : endpoints.rtsp_port});
    }
    const ProxyCaptures captures(proxy);

    FleetHooks hooks;
    hooks.on_operation = [&oracle](const Operation& op) { oracle.record(op); };
    hooks.on_frame_sent = [&oracle](const emulators::FrameSent& f) {
      oracle.record_sent(f.camera, f.sent_at);
    };
    hooks.udp_router = [&routes](const std::string& link) { return routes->router(link); };
    hooks.on_observation = [&](const Observation& o, const media::Picture& picture) {
      const oracle::Verdict verdict = oracle.judge(o);
      frames_checked.fetch_add(1, std::memory_order_relaxed);
      if (verdict.kind == oracle::VerdictKind::ok) return;
      if (verdict.kind == oracle::VerdictKind::leak) leaks.fetch_add(1, std::memory_order_relaxed);
      // The hub's links and the camera's: the path the offending frame took.
      std::vector<reports::CapturedLink> links;
      for (const auto& device : {o.hub, verdict.camera}) {
        if (const auto it = captured_links.find(device); it != captured_links.end())
          links.insert(links.end(), it->second.begin(), it->second.end());
      }
      evidence.on_finding(
          o,
          [&picture] {
            return picture.empty() ? std::vector<uint8_t>{} : media::encode_png(picture);
          },
          links);
    };
    progress.line("fleet", "encoding " + std::to_string(scenario.fleet.cameras.size()) +
                               " camera loops, " + std::to_string(scenario.fleet.hubs.size()) +
                               " hubs");
    fleet = std::make_unique<Fleet>(scenario, seed, credentials, ports, clock, hooks, &interrupted);
    PlayerTargets player_targets{.proxy = proxy,
                                 .fleet = *fleet,
                                 .sut = *sut,
                                 .provisioner = provisioner,
                                 .events = events,
                                 .device_links = device_links,
                                 .routes = *routes};
    player =
        std::make_unique<Player>(timeline, scenario.duration, clock, std::move(player_targets));

    clock.restart();
    // Faults and shares written at 0 s are in force before any device sends its first byte,
    // whichever thread gets the CPU first.
    player->play_initial();
    fleet->start();
    player->play([&](const std::string& phase) {
      if (interrupted.load()) player->stop();
      evidence.write_due_pcaps(captures, clock.now(), false);
      progress.status({.scenario = scenario.name,
                       .phase = phase,
                       .elapsed = clock.now(),
                       .total = scenario.duration,
                       .frames_checked = frames_checked.load(),
                       .leaks = leaks.load()});
    });
    const Micros run_end = std::min(clock.now(), scenario.duration);
    fleet->stop();
    evidence.write_due_pcaps(captures, clock.now(), true);
    for (const auto& e : player->errors()) record.harness_errors.push_back("timeline: " + e);
    for (const auto& n : player->notes()) record.notes.push_back("timeline: " + n);
    if (interrupted.load())
      record.harness_errors.push_back(
          "interrupted at " +
          units::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(run_end)));

    oracle::Results results = oracle.finish(run_end);
    results.checks.push_back(admin_calls_check(player->admin_calls()));
    record.sut_calls = sut_calls(player->admin_calls());
    reports::add_oracle_results(record, std::move(results));
    record.duration = run_end;
  } catch (const InputError&) {
    throw;  // bad input found while starting (a malformed external URL): exit 2 from the CLI
  } catch (const std::exception& e) {
    record.harness_errors.push_back(e.what());
    if (interrupted.load())
      record.harness_errors.push_back(
          "interrupted at " +
          units::format_duration(
              std::chrono::duration_cast<std::chrono::milliseconds>(clock.now())) +
          ", while starting or restarting");
    out.exit_code = static_cast<int>(ExitCode::harness_failed);
  }
  // Teardown in reverse order of dependence: nothing may call into a destroyed part.
  if (player) player->stop();
  if (fleet) {
    fleet->stop();
    record.fleet_counters = fleet_totals(*fleet);
    for (auto& n : fleet->conformance_notes())
      record.conformance.push_back(
          {.text = std::move(n.text), .count = n.count, .example = std::move(n.example)});
  }
  fleet.reset();
  if (routes) routes->close();
  auto stored_events = events.snapshot();
  record.fault_events = stored_events;
  record.fault_events_dropped = events.dropped();
  // A device's many RTP routes are counted as one (`live:hub-2/rtp`).
  if (routes) {
    for (auto& e : stored_events) routes->relabel(e);
  }
  record.fault_counters = reports::count_fault_events(stored_events);
  proxy_thread.reset();
  if (sut) sut->stop();
  sut.reset();
  if (options.report_dir.empty() && !state_dir.empty()) {
    std::error_code ec;  // a leftover temporary directory is not worth failing the run for
    if (fs::remove_all(state_dir, ec); ec)
      record.notes.push_back("could not remove " + state_dir + ": " + ec.message());
  }

  evidence.attach(record);
  reports::fill_active_faults(record);
  record.finished = std::chrono::system_clock::now();
  // One rule for every output: a harness error is exit 3, else a failed check exit 1.
  record.exit_code = out.exit_code;
  out.exit_code = record.exit_code = reports::exit_code_of(record);
  if (!options.report_dir.empty()) {
    try {
      reports::write_report_directory(record, options.report_dir);
    } catch (const std::exception& e) {
      record.harness_errors.push_back(e.what());
      out.exit_code = record.exit_code = reports::exit_code_of(record);
    }
  }
  progress.finish();
  return out;
}

}  // namespace camleak::runner
