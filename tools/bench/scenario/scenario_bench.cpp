// Loads and resolves a fleet-scale scenario (1,000 cameras + 1,000 hubs by default) and prints
// how long each step takes. Usage: scenario_bench [accounts]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "harness/scenario/loader.hpp"
#include "harness/schedule/timeline.hpp"

namespace {

std::string fleet_scenario(int accounts) {
  return "name: bench\nduration: 10m\nfleet:\n  accounts: " + std::to_string(accounts) + R"(
  camera: {transport: udp}
links:
  uplink: {profile: lossy-lte}
  live: {profile: 3g}
  snapshot: {profile: 3g}
  overrides:
    - select: {accounts: ["user-1*"]}
      live: {profile: weak-wifi}
shares:
  - {camera: cam-1, with: user-2, from: 10s, until: 5m}
timeline:
  - {at: 0s, phase: warmup}
  - at: 30s
    ramp: {link: live, stage: latency, attribute: latency, from: 50ms, to: 800ms, over: 60s}
  - at: 2m
    set: {link: uplink, select: {fraction: 30%}, loss: 10%, for: 1m}
  - {at: 4m, phase: storm}
  - at: 4m
    storm: {devices: hubs, select: {fraction: 50%}, mode: spread, window: 10s, down: 5s}
  - at: 6m
    partition: {link: snapshot, select: {fraction: 20%}, for: 30s}
)";
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int accounts = argc > 1 ? std::atoi(argv[1]) : 1000;
  const std::string text = fleet_scenario(accounts);
  auto t0 = std::chrono::steady_clock::now();
  const auto scenario = camleak::scenario::load_scenario_text(text, "bench.yaml");
  const double load_ms = ms_since(t0);
  t0 = std::chrono::steady_clock::now();
  const auto timeline = camleak::schedule::resolve(scenario, 42);
  const double resolve_ms = ms_since(t0);
  t0 = std::chrono::steady_clock::now();
  const std::string text_out = timeline.to_text();
  const double text_ms = ms_since(t0);
  std::printf("fleet: %zu cameras, %zu hubs, %zu links\n", scenario.fleet.cameras.size(),
              scenario.fleet.hubs.size(), scenario.links.size());
  std::printf("load+validate: %.1f ms\n", load_ms);
  std::printf("resolve:       %.1f ms (%zu actions)\n", resolve_ms, timeline.actions.size());
  std::printf("to_text:       %.1f ms (%zu bytes)\n", text_ms, text_out.size());
  return 0;
}
