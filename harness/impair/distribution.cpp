#include "harness/impair/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace camleak::impair {
namespace {

// Acklam's rational approximation of the inverse standard normal CDF (relative error < 1.2e-9),
// so the normal delay needs no table.
double inverse_normal_cdf(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  p = std::clamp(p, 1e-12, 1 - 1e-12);
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) {
    const double q = std::sqrt(-2 * std::log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// Pareto with scale 1 and shape 3 (netem's), standardised: mean 1.5, variance 0.75.
constexpr double kParetoShape = 3.0;
double standard_pareto(double u) {
  const double x = std::pow(1.0 - std::min(u, 1 - 1e-12), -1.0 / kParetoShape);
  return (x - 1.5) / std::sqrt(0.75);
}

// netem builds paretonormal as a table of sums of independent draws; the sum has no closed-form
// quantile, so we build the same kind of table once from a fixed seed (deterministic).
const std::vector<double>& paretonormal_table() {
  static const std::vector<double> table = [] {
    constexpr size_t kSize = 1 << 15;
    Rng rng(0x70617265746f6eULL);
    std::vector<double> values(kSize);
    double sum = 0, sum_sq = 0;
    for (auto& v : values) {
      v = 0.25 * rng.normal(0, 1) + 0.75 * standard_pareto(rng.uniform());
      sum += v;
      sum_sq += v * v;
    }
    const double mean = sum / kSize;
    const double stddev = std::sqrt(sum_sq / kSize - mean * mean);
    for (auto& v : values) v = (v - mean) / stddev;
    std::sort(values.begin(), values.end());
    return values;
  }();
  return table;
}

}  // namespace

std::optional<Distribution> parse_distribution(std::string_view name) {
  if (name == "uniform") return Distribution::uniform;
  if (name == "normal") return Distribution::normal;
  if (name == "pareto") return Distribution::pareto;
  if (name == "paretonormal") return Distribution::paretonormal;
  return std::nullopt;
}

const std::vector<std::string_view>& distribution_names() {
  static const std::vector<std::string_view> names{"uniform", "normal", "pareto", "paretonormal"};
  return names;
}

double standard_quantile(Distribution distribution, double u) {
  switch (distribution) {
    case Distribution::uniform:
      return 2 * u - 1;
    case Distribution::normal:
      return inverse_normal_cdf(u);
    case Distribution::pareto:
      return standard_pareto(u);
    case Distribution::paretonormal: {
      const auto& table = paretonormal_table();
      const auto index = std::min(table.size() - 1, static_cast<size_t>(u * table.size()));
      return table[index];
    }
  }
  return 0;
}

double CorrelatedUniform::next(Rng& rng) {
  if (rho_ <= 0) return rng.uniform();
  const double fresh = rng.normal(0, 1);
  const double z = last_z_ ? rho_ * *last_z_ + std::sqrt(1 - rho_ * rho_) * fresh : fresh;
  last_z_ = z;
  return std::clamp(0.5 * std::erfc(-z / std::numbers::sqrt2), 0.0, std::nextafter(1.0, 0.0));
}

Micros DelaySampler::sample(Rng& rng) {
  if (jitter_.count() == 0) return std::max(mean_, Micros{0});
  const double value =
      static_cast<double>(mean_.count()) +
      static_cast<double>(jitter_.count()) * standard_quantile(distribution_, uniform_.next(rng));
  return Micros{std::max<int64_t>(0, std::llround(value))};
}

}  // namespace camleak::impair
