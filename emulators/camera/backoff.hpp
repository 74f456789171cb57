#pragma once
// Reconnect backoff: exponential growth with seeded jitter. A fleet that loses the SUT at the
// same instant must not redial in lock-step (that is a reconnect storm of our own making), yet a
// run must replay exactly from its seed, so the jitter comes from camleak::Rng derived from
// (run seed, emulator name) and never from the wall clock.
#include <cstdint>
#include <string_view>

#include "harness/core/clock.hpp"
#include "harness/core/rng.hpp"

namespace camleak::emulators {

struct BackoffConfig {
  Micros initial{200'000};  // delay before the first redial
  Micros maximum{10'000'000};
  double multiplier = 2.0;  // growth per consecutive failure (>= 1)
  // Fraction of each delay that is random: the delay is drawn uniformly from
  // [base * (1 - jitter), base]. 0 = no jitter, 1 = "full jitter".
  double jitter = 0.5;
};

// Throws InputError naming the field ("<prefix>.initial", ...) for unusable values.
void validate(const BackoffConfig& config, std::string_view prefix);

class Backoff {
 public:
  // `rng` is normally Rng(Rng::derive(seed, name)).
  Backoff(BackoffConfig config, Rng rng);

  // Delay before the next redial; grows with each call until reset().
  Micros next();
  // A connection succeeded: the next failure starts from `initial` again.
  void reset() { attempt_ = 0; }
  uint32_t attempt() const { return attempt_; }
  const BackoffConfig& config() const { return config_; }

 private:
  BackoffConfig config_;
  Rng rng_;
  uint32_t attempt_ = 0;
};

}  // namespace camleak::emulators
