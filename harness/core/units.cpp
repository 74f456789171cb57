#include "harness/core/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace camleak::units {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits "250ms" into 250.0 and "ms". Throws when there is no leading number.
std::pair<double, std::string_view> split_number(std::string_view text, std::string_view what) {
  const std::string_view s = trim(text);
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.' ||
                          (i == 0 && (s[i] == '-' || s[i] == '+')))) {
    ++i;
  }
  double value = 0;
  const auto* begin = s.data();
  const auto [ptr, ec] = std::from_chars(begin, begin + i, value);
  if (i == 0 || ec != std::errc() || ptr != begin + i || !std::isfinite(value)) {
    throw std::invalid_argument("expected " + std::string(what) + ", got \"" + std::string(text) +
                                "\"");
  }
  return {value, trim(s.substr(i))};
}

void require_non_negative(double v, std::string_view text) {
  if (v < 0) throw std::invalid_argument("must not be negative, got \"" + std::string(text) + "\"");
}

// 2^63: the first magnitude that no longer converts to int64_t. Converting a double at or past it
// is undefined (llround answers INT64_MIN on x86), which would turn a typo such as
// "9999999999999h" into a negative or wrapped quantity that then validates.
constexpr double kInt64Limit = 9223372036854775808.0;

// `value` (already scaled to the result's unit) rounded to an integer, or a clear error naming
// `text` when it does not fit `what`'s range.
int64_t checked_round(double value, std::string_view text, std::string_view range) {
  if (!(std::fabs(value) < kInt64Limit)) {
    throw std::invalid_argument("\"" + std::string(text) + "\" is out of range (" +
                                std::string(range) + ")");
  }
  return std::llround(value);
}

constexpr std::string_view kDurationRange = kLongestDurationText;

Micros checked_duration(double us, std::string_view text) {
  const int64_t rounded = checked_round(us, text, kDurationRange);
  if (rounded > kLongestDuration.count())
    throw std::invalid_argument("\"" + std::string(text) + "\" is out of range (" +
                                std::string(kDurationRange) + ")");
  return Micros{rounded};
}

}  // namespace

Micros duration_from_ms(double ms) {
  if (!std::isfinite(ms)) throw std::invalid_argument("expected a number of milliseconds");
  const double us = ms * 1000.0;
  char text[64];
  const auto end = std::to_chars(text, text + sizeof text - 2, ms).ptr;  // shortest spelling
  return checked_duration(us, std::string(text, end) + "ms");
}

Micros parse_duration(std::string_view text) {
  const auto [value, unit] =
      split_number(text, "a duration such as 250ms, 2s, 1m (units: us, ms, s, m, h)");
  require_non_negative(value, text);
  double scale = 0;
  if (unit == "us" || unit == "µs")
    scale = 1;
  else if (unit == "ms")
    scale = 1e3;
  else if (unit == "s")
    scale = 1e6;
  else if (unit == "m" || unit == "min")
    scale = 60e6;
  else if (unit == "h")
    scale = 3600e6;
  else if (unit.empty() && value == 0)
    scale = 0;
  else
    throw std::invalid_argument("unknown duration unit in \"" + std::string(text) +
                                "\" (use us, ms, s, m or h, e.g. 250ms)");
  return checked_duration(value * scale, text);
}

uint64_t parse_rate_bps(std::string_view text) {
  const auto [value, unit] = split_number(text, "a rate such as 512kbps, 2Mbps or 100KB/s");
  require_non_negative(value, text);
  double scale = 0;
  if (unit == "bps")
    scale = 1;
  else if (unit == "kbps" || unit == "Kbps")
    scale = 1e3;
  else if (unit == "Mbps")
    scale = 1e6;
  else if (unit == "Gbps")
    scale = 1e9;
  else if (unit == "B/s")
    scale = 8;
  else if (unit == "KB/s" || unit == "kB/s")
    scale = 8e3;
  else if (unit == "MB/s")
    scale = 8e6;
  else if (unit.empty() && value == 0)
    scale = 0;
  else
    throw std::invalid_argument("unknown rate unit in \"" + std::string(text) +
                                "\" (use bps, kbps, Mbps, Gbps, B/s, KB/s or MB/s)");
  return static_cast<uint64_t>(checked_round(value * scale, text, "rates go up to 9.2e18 bps"));
}

double parse_fraction(std::string_view text) {
  const auto [value, unit] = split_number(text, "a fraction such as 5% or 0.05");
  double fraction = value;
  if (unit == "%")
    fraction = value / 100.0;
  else if (!unit.empty())
    throw std::invalid_argument("expected a fraction such as 5% or 0.05, got \"" +
                                std::string(text) + "\"");
  if (fraction < 0 || fraction > 1) {
    throw std::invalid_argument("must be between 0% and 100%, got \"" + std::string(text) + "\"");
  }
  return fraction;
}

uint64_t parse_size_bytes(std::string_view text) {
  const auto [value, unit] = split_number(text, "a size such as 1500, 64KiB or 1MB");
  require_non_negative(value, text);
  double scale = 0;
  if (unit.empty() || unit == "B")
    scale = 1;
  else if (unit == "KB" || unit == "kB")
    scale = 1e3;
  else if (unit == "MB")
    scale = 1e6;
  else if (unit == "GB")
    scale = 1e9;
  else if (unit == "KiB")
    scale = 1024;
  else if (unit == "MiB")
    scale = 1024.0 * 1024;
  else if (unit == "GiB")
    scale = 1024.0 * 1024 * 1024;
  else
    throw std::invalid_argument("unknown size unit in \"" + std::string(text) +
                                "\" (use B, KB, MB, GB, KiB, MiB or GiB)");
  return static_cast<uint64_t>(checked_round(value * scale, text, "sizes go up to 8 EiB"));
}

namespace {

// `us` in units of `per_unit` microseconds, in integer arithmetic so that every digit is exact
// (printing through a double with %g turned 1234567s into "1.23457e+06s"): "1.5s", "250ms".
std::string exact(int64_t us, int64_t per_unit, int digits, const char* unit) {
  std::string out = std::to_string(us / per_unit);
  if (int64_t fraction = us % per_unit; fraction != 0) {
    std::string decimals = std::to_string(fraction < 0 ? -fraction : fraction);
    decimals.insert(0, static_cast<size_t>(digits) - decimals.size(), '0');
    while (decimals.back() == '0') decimals.pop_back();
    out += "." + decimals;
  }
  return out + unit;
}

}  // namespace

std::string format_duration(Micros d) {
  const int64_t us = d.count();
  if (us == 0) return "0s";
  if (us % 1000 != 0) return std::to_string(us) + "us";
  if (us > -1'000'000 && us < 1'000'000) return exact(us, 1000, 3, "ms");
  if (us % 60'000'000 == 0) return exact(us, 60'000'000, 0, "m");
  return exact(us, 1'000'000, 6, "s");
}

std::string format_rate_bps(uint64_t bps) {
  char buf[64];
  if (bps >= 1'000'000 && bps % 1000 == 0)
    std::snprintf(buf, sizeof buf, "%.6gMbps", bps / 1e6);
  else if (bps >= 1000)
    std::snprintf(buf, sizeof buf, "%.6gkbps", bps / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%llubps", static_cast<unsigned long long>(bps));
  return buf;
}

}  // namespace camleak::units
