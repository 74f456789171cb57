#include "harness/runner/run.hpp"

#include <openssl/rand.h>

#include "harness/runner/run_session.hpp"

namespace camleak::runner {

uint64_t choose_seed(const scenario::Scenario& scenario, const RunOptions& options) {
  if (options.seed) return *options.seed;
  if (scenario.seed) return *scenario.seed;
  uint64_t seed = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed);
  return seed % 1'000'000'000;  // short enough to type in a repro command
}

RunOutcome run_scenario(const scenario::Scenario& scenario, const RunOptions& options,
                        Progress& progress, const std::atomic<bool>& interrupted) {
  return RunSession(scenario, options, progress, interrupted).run();
}

}  // namespace camleak::runner
