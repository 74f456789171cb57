#include "emulators/camera/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/core/errors.hpp"

namespace camleak::emulators {

void validate(const BackoffConfig& config, std::string_view prefix) {
  std::vector<Diagnostic> problems;
  const std::string p(prefix);
  if (config.initial <= Micros{0})
    problems.push_back({.field = p + ".initial", .message = "must be positive"});
  if (config.maximum < config.initial)
    problems.push_back({.field = p + ".maximum", .message = "must be at least initial"});
  if (!(config.multiplier >= 1.0) || !std::isfinite(config.multiplier))
    problems.push_back({.field = p + ".multiplier", .message = "must be a finite number >= 1"});
  if (!(config.jitter >= 0.0 && config.jitter <= 1.0))
    problems.push_back({.field = p + ".jitter", .message = "must be between 0 and 1"});
  if (!problems.empty()) throw InputError(std::move(problems));
}

Backoff::Backoff(BackoffConfig config, Rng rng) : config_(config), rng_(rng) {}

Micros Backoff::next() {
  // Grow in floating point and clamp before converting: 2^attempt overflows int64 quickly.
  const double growth = std::pow(config_.multiplier, static_cast<double>(attempt_));
  const double base = std::min(static_cast<double>(config_.initial.count()) * growth,
                               static_cast<double>(config_.maximum.count()));
  const double low = base * (1.0 - config_.jitter);
  const double delay = low + (base - low) * rng_.uniform();
  if (attempt_ < 1'000'000) ++attempt_;
  return Micros{std::max<int64_t>(1, static_cast<int64_t>(delay))};
}

}  // namespace camleak::emulators
