// Provisioning benchmark (run by hand, prints figures; never part of the test suite).
//
// The harness's Provisioner provisions a fleet of N accounts with one camera each into the
// reference relay with a state file (as `camleak run` does with the built-in SUT), so every
// change goes through the relay's persistence. Prints the wall-clock seconds per fleet size and
// the relay's write counters. --no-state runs the relay without a state file: the floor that
// HTTP and the relay's bookkeeping alone cost.
//
//   provision_bench [--no-state] [N ...]        default: 1000 10000
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "emulators/relay/relay.hpp"
#include "harness/runner/credentials.hpp"
#include "harness/runner/provisioner.hpp"
#include "harness/scenario/loader.hpp"

namespace {

using namespace camleak;

void bench(int accounts, bool with_state) {
  const std::string yaml = "name: provision-bench\nduration: 10s\nfleet:\n  accounts: {count: " +
                           std::to_string(accounts) +
                           "}\n  cameras_per_account: 1\n  hubs_per_account: 0\n";
  const scenario::Scenario scenario = scenario::load_scenario_text(yaml, "provision-bench.yaml");
  const runner::Credentials credentials = runner::make_credentials(scenario.fleet);

  std::random_device rd;
  const auto dir =
      std::filesystem::temp_directory_path() / ("camleak-provision-bench-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  relay::RelayConfig config;
  if (with_state) config.state_file = (dir / "relay-state.json").string();
  relay::Relay relay(config);
  relay.start();

  runner::Provisioner provisioner(runner::HttpUrl{"127.0.0.1", relay.ports().admin, ""});
  const auto start = std::chrono::steady_clock::now();
  provisioner.provision(scenario, credentials);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto counters = relay.counters();
  std::printf("%6d accounts + %6d cameras%s: %8.2f s  (%8.0f changes/s, %llu state writes)\n",
              accounts, accounts, with_state ? "" : " (no state file)", seconds,
              2.0 * accounts / seconds, static_cast<unsigned long long>(counters.state_writes));
  relay.stop();
  std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes;
  bool with_state = true;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--no-state")
      with_state = false;
    else
      sizes.push_back(std::atoi(argv[i]));
  }
  if (sizes.empty()) sizes = {1000, 10000};
  for (const int n : sizes) {
    if (n <= 0) {
      std::fprintf(stderr, "usage: provision_bench [--no-state] [ACCOUNTS ...]\n");
      return 2;
    }
    bench(n, with_state);
  }
  return 0;
}
