#pragma once
// Random delays and correlated random decisions shared by the latency, delay, loss, duplicate,
// reorder and corrupt stages.
//
// Distributions follow netem's tables (uniform, normal, pareto, paretonormal): a uniform draw is
// mapped through the distribution's inverse CDF, standardised so that `mean` is the mean and
// `jitter` the spread (uniform: mean +/- jitter, as Toxiproxy and netem; the others: jitter is
// the standard deviation). paretonormal is netem's mix: 25 % normal + 75 % pareto (shape 3).
//
// Correlation: netem averages each uniform draw with the previous one, which also shrinks the
// effective probability (a known netem flaw). We correlate through a Gaussian copula instead:
// z_n = rho * z_(n-1) + sqrt(1 - rho^2) * N(0,1), u_n = Phi(z_n). Each draw is still exactly
// uniform, so a 20 % loss stays 20 % whatever the correlation, while consecutive decisions
// cluster (bursts) as the correlation grows.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/core/rng.hpp"

namespace camleak::impair {

enum class Distribution { uniform, normal, pareto, paretonormal };

std::optional<Distribution> parse_distribution(std::string_view name);
const std::vector<std::string_view>& distribution_names();

// The standardised value of `distribution` at quantile u in [0, 1): uniform gives [-1, 1), the
// others have mean 0 and standard deviation 1.
double standard_quantile(Distribution distribution, double u);

// Uniform draws in [0, 1) correlated with the previous draw by `correlation` in [0, 1].
class CorrelatedUniform {
 public:
  explicit CorrelatedUniform(double correlation = 0) : rho_(correlation) {}
  void set_correlation(double correlation) { rho_ = correlation; }
  double correlation() const { return rho_; }
  double next(Rng& rng);
  // A Bernoulli decision with probability p, correlated with the previous decisions.
  bool decide(Rng& rng, double p) {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return next(rng) < p;
  }

 private:
  double rho_ = 0;
  std::optional<double> last_z_;
};

// A random event's settings (corrupt, duplicate, reorder, random loss): how likely it is, and how
// much each decision follows the previous one.
struct Chance {
  double probability = 0;  // [0, 1]
  double correlation = 0;  // [0, 1]
};

// Decisions by a Chance, each correlated with the ones before.
class CorrelatedChance {
 public:
  explicit CorrelatedChance(const Chance& chance = {}) { set(chance); }
  // New odds; the correlation continues from the last decision.
  void set(const Chance& chance) {
    probability_ = chance.probability;
    uniform_.set_correlation(chance.correlation);
  }
  bool decide(Rng& rng) { return uniform_.decide(rng, probability_); }

 private:
  double probability_ = 0;
  CorrelatedUniform uniform_;
};

// A random delay's settings (latency, delay): mean +/- jitter in the distribution's shape, each
// delay correlated with the previous one.
struct DelayShape {
  Micros mean{0};
  Micros jitter{0};
  Distribution distribution = Distribution::uniform;
  double correlation = 0;  // [0, 1]
};

// Delay = mean + jitter * standard_quantile(u), never below zero.
class DelaySampler {
 public:
  DelaySampler() = default;
  DelaySampler(Micros mean, Micros jitter, Distribution distribution, double correlation)
      : mean_(mean), jitter_(jitter), distribution_(distribution), uniform_(correlation) {}
  explicit DelaySampler(const DelayShape& shape)
      : DelaySampler(shape.mean, shape.jitter, shape.distribution, shape.correlation) {}
  Micros sample(Rng& rng);
  Micros mean() const { return mean_; }

 private:
  Micros mean_{0};
  Micros jitter_{0};
  Distribution distribution_ = Distribution::uniform;
  CorrelatedUniform uniform_;
};

}  // namespace camleak::impair
