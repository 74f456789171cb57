#pragma once
// Seeded randomness that gives the same numbers on every platform and standard library
// (std:: distributions do not), so a seed reproduces a run's whole fault schedule.
#include <cstdint>
#include <string_view>

namespace camleak {

class Rng {
 public:
  explicit Rng(uint64_t seed);

  // A seed for a sub-component, mixed from a parent seed and a label
  // (for example derive(run_seed, "link:cam-3/conn:2/upstream/latency")).
  static uint64_t derive(uint64_t seed, std::string_view label);
  Rng child(std::string_view label) const { return Rng(derive(seed_, label)); }
  uint64_t seed() const { return seed_; }

  uint64_t next_u64();
  double uniform();                      // [0, 1)
  double uniform(double lo, double hi);  // [lo, hi)
  uint64_t below(uint64_t n);            // [0, n), n > 0, unbiased
  bool bernoulli(double p);              // true with probability p
  double normal(double mean, double stddev);
  double exponential(double mean);
  double pareto(double scale, double shape);  // x >= scale

 private:
  uint64_t seed_;
  uint64_t s_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0;
};

}  // namespace camleak
