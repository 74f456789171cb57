#include "harness/core/rng.hpp"

#include <cmath>
#include <numbers>

namespace camleak {
namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

}  // namespace

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t x = seed;
  for (auto& s : s_) s = splitmix64(x);
}

uint64_t Rng::derive(uint64_t seed, std::string_view label) {
  // FNV-1a over the label, then mixed with the seed through splitmix64.
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : label) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  uint64_t x = seed ^ rotl(h, 17);
  splitmix64(x);
  return splitmix64(x);
}

uint64_t Rng::next_u64() {
  // xoshiro256**
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

double Rng::uniform(double lo, double hi) {
  return lo + (hi - lo) * uniform();
}

uint64_t Rng::below(uint64_t n) {
  // Lemire's rejection method: unbiased for every n.
  __uint128_t m = static_cast<__uint128_t>(next_u64()) * n;
  auto low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = -n % n;
    while (low < threshold) {
      m = static_cast<__uint128_t>(next_u64()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

bool Rng::bernoulli(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return uniform() < p;
}

double Rng::normal(double mean, double stddev) {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return mean + stddev * spare_normal_;
  }
  // Box-Muller: two independent normals per two uniforms.
  double u1 = uniform();
  while (u1 <= 0) u1 = uniform();
  const double u2 = uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  spare_normal_ = r * std::sin(2 * std::numbers::pi * u2);
  has_spare_normal_ = true;
  return mean + stddev * r * std::cos(2 * std::numbers::pi * u2);
}

double Rng::exponential(double mean) {
  double u = uniform();
  while (u <= 0) u = uniform();
  return -mean * std::log(u);
}

double Rng::pareto(double scale, double shape) {
  double u = uniform();
  while (u <= 0) u = uniform();
  return scale / std::pow(u, 1.0 / shape);
}

}  // namespace camleak
