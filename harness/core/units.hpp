#pragma once
// Quantities with units as people write them in scenario and link files:
// durations "250ms", "2s", "1m", "1h", "500us"; rates "512kbps", "2Mbps", "100KB/s";
// fractions "5%" or "0.05"; sizes "64KiB", "1MB", "1500" (bytes).
// Each parser throws std::invalid_argument with a message that says what was expected.
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/core/clock.hpp"

namespace camleak::units {

// The longest duration anything accepts: ten years, far past any test, and far enough below the
// nanosecond steady_clock's range (about 292 years from boot) that a run's clock plus a few such
// durations (an action's time, its length, a stage's delay) cannot wrap. Checked at the int64
// microsecond range alone, "300y" worth of hours validated and then overflowed the clock.
inline constexpr Micros kLongestDuration = std::chrono::hours(24 * 365 * 10);
inline constexpr const char* kLongestDurationText = "durations go up to 10 years (87600h)";

// Throws std::invalid_argument, as every parser here, for a quantity past what its result type
// holds (a duration: past kLongestDuration).
Micros parse_duration(std::string_view text);
// A number of milliseconds (JSON and YAML numbers, possibly fractional) as Micros, with the same
// range check.
Micros duration_from_ms(double ms);
// Bits per second.
uint64_t parse_rate_bps(std::string_view text);
// A fraction in [0, 1]: "5%" -> 0.05; a bare number in [0, 1] is taken as the fraction itself.
double parse_fraction(std::string_view text);
uint64_t parse_size_bytes(std::string_view text);

// Shortest exact spelling: 1500000us -> "1.5s", 250000us -> "250ms".
std::string format_duration(Micros d);
std::string format_rate_bps(uint64_t bps);

}  // namespace camleak::units
