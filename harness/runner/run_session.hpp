#pragma once
// One scenario, end to end, as named steps (the composition root of camleak):
//
//   RunSession session(scenario, options, progress, interrupted);
//   session.run();   // = start_sut, provision, build_links, build_fleet, play, collect,
//                    //   teardown, finish; a step that throws skips to teardown
//
// Each step does one thing and can be called on its own (tests do, with fake parts). The
// parts that talk to the outside world (the SUT, its admin API, the devices) come from
// RunParts, so a test can run every step against fakes; the proxy is always the real one, on
// loopback.
//
// Errors: a step throws HarnessError (the run is ERROR, exit 3) or InputError (bad input found
// while starting, e.g. a malformed external URL: exit 2 from the CLI); run() records the first,
// rethrows the second, and always tears down in reverse order of dependence.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/core/event_log.hpp"
#include "harness/oracle/synchronized_oracle.hpp"
#include "harness/runner/adapter_requests.hpp"
#include "harness/runner/credentials.hpp"
#include "harness/runner/device_fleet.hpp"
#include "harness/runner/fleet.hpp"
#include "harness/runner/oracle_inputs.hpp"
#include "harness/runner/progress.hpp"
#include "harness/runner/run.hpp"
#include "harness/runner/run_clock.hpp"
#include "harness/runner/sut_admin.hpp"
#include "harness/runner/sut_driver.hpp"
#include "harness/schedule/timeline.hpp"
#include "reports/evidence_collector.hpp"

namespace camleak::proxy {
class ProxyThread;
class SessionRoutes;
}  // namespace camleak::proxy

namespace camleak::runner {

class Player;

// What a fleet is built from.
struct FleetSetup {
  const scenario::Scenario& scenario;
  uint64_t seed;
  const Credentials& credentials;
  const DevicePorts& ports;
  const Clock& clock;
  FleetHooks hooks;
  const std::atomic<bool>* interrupted;
  const TemplateValues& values;                    // the adapter's placeholders for this run
  std::shared_ptr<boost::asio::ssl::context> tls;  // the adapter's client context, or none
};

// The parts of a run that reach outside the harness. production_parts(): the scenario's SUT
// (built-in relay or external), the contract's admin API (Provisioner) and real devices (Fleet).
struct RunParts {
  std::function<std::unique_ptr<SutDriver>(const scenario::Scenario&, const std::string& state_dir,
                                           const std::atomic<bool>& interrupted)>
      sut;
  std::function<std::unique_ptr<SutAdmin>(const scenario::Scenario&, const SutEndpoints&,
                                          const Credentials&, const std::atomic<bool>& interrupted)>
      admin;
  std::function<std::unique_ptr<DeviceFleet>(FleetSetup)> fleet;
};
RunParts production_parts();

class RunSession {
 public:
  // Resolves the timeline and the oracle's inputs and fills the record's header; starts
  // nothing.
  RunSession(const scenario::Scenario& scenario, const RunOptions& options, Progress& progress,
             const std::atomic<bool>& interrupted, RunParts parts = production_parts());
  ~RunSession();  // teardown()
  RunSession(const RunSession&) = delete;
  RunSession& operator=(const RunSession&) = delete;

  // Every step in order; never throws but InputError. The record's exit code is the outcome.
  RunOutcome run();

  // The steps, in the order run() calls them.
  void start_sut();    // a state directory of this run's own; the SUT started and ready
  void provision();    // accounts, cameras, the shares at 0 s
  void build_links();  // the proxy, and a link per scenario link in front of the SUT
  void build_fleet();  // the devices, each on its links, reporting to the oracle and evidence
  void play();         // clock to 0, actions due at 0 s, fleet start, the timeline to the end
  void collect();      // the oracle's results, timeline errors and SUT calls into the record
  void teardown();     // reverse order of dependence; fleet and proxy counters. Idempotent
  void finish();       // evidence attached, one exit code, the report directory written

  const reports::RunRecord& record() const { return record_; }
  // Records a harness error (a step that threw), noting where an interruption stopped it.
  void fail(const std::string& error);

 private:
  void on_observation(const Observation& o, const media::Picture& picture);

  const scenario::Scenario& scenario_;
  const RunOptions options_;
  Progress& progress_;
  const std::atomic<bool>& interrupted_;
  RunParts parts_;
  const uint64_t seed_;
  const schedule::Timeline timeline_;
  OracleInputs inputs_;
  oracle::SynchronizedOracle oracle_;
  reports::RunRecord record_;
  EventLog events_;
  RunClock clock_;
  reports::EvidenceCollector evidence_;
  std::atomic<uint64_t> frames_checked_{0};
  std::atomic<uint64_t> leaks_{0};
  Micros run_end_{0};
  bool collected_ = false;
  bool torn_down_ = false;

  std::string state_dir_;
  bool private_state_dir_ = false;
  std::unique_ptr<SutDriver> sut_;
  SutEndpoints endpoints_;
  Credentials credentials_;
  std::unique_ptr<TemplateValues> values_;
  std::unique_ptr<SutAdmin> admin_;
  std::unique_ptr<proxy::ProxyThread> proxy_thread_;
  std::shared_ptr<proxy::SessionRoutes> routes_;
  DevicePorts ports_;
  std::map<std::string, std::vector<std::string>> device_links_;  // device -> link names
  std::map<std::string, std::vector<reports::CapturedLink>> captured_links_;  // device -> its links
  std::unique_ptr<DeviceFleet> fleet_;
  std::unique_ptr<Player> player_;
};

}  // namespace camleak::runner
