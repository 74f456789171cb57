#include "emulators/camera/backoff.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "harness/core/errors.hpp"

namespace camleak::emulators {
namespace {

std::vector<Micros> draws(const BackoffConfig& config, uint64_t seed, std::string_view name,
                          int n) {
  Backoff backoff(config, Rng(Rng::derive(seed, name)));
  std::vector<Micros> out;
  for (int i = 0; i < n; ++i) out.push_back(backoff.next());
  return out;
}

TEST(Backoff, WithoutJitterDoublesUpToTheMaximum) {
  BackoffConfig config{
      .initial = Micros{100}, .maximum = Micros{1000}, .multiplier = 2.0, .jitter = 0.0};
  EXPECT_EQ(draws(config, 1, "cam", 6),
            (std::vector<Micros>{Micros{100}, Micros{200}, Micros{400}, Micros{800}, Micros{1000},
                                 Micros{1000}}));
}

TEST(Backoff, JitterStaysInsideTheBandAndIsSeeded) {
  BackoffConfig config{
      .initial = Micros{10'000}, .maximum = Micros{1'000'000}, .multiplier = 2.0, .jitter = 0.5};
  const auto a = draws(config, 42, "cam-1", 8);
  EXPECT_EQ(a, draws(config, 42, "cam-1", 8));  // same seed and name: same delays
  EXPECT_NE(a, draws(config, 42, "cam-2", 8));  // another camera: its own jitter
  EXPECT_NE(a, draws(config, 43, "cam-1", 8));  // another run seed: other delays
  double base = 10'000;
  for (const Micros d : a) {
    const double capped = std::min(base, 1'000'000.0);
    EXPECT_GE(d.count(), static_cast<int64_t>(capped * 0.5) - 1);
    EXPECT_LE(d.count(), static_cast<int64_t>(capped));
    base *= 2;
  }
}

TEST(Backoff, ResetStartsOverFromInitial) {
  BackoffConfig config{
      .initial = Micros{100}, .maximum = Micros{10'000}, .multiplier = 3.0, .jitter = 0.0};
  Backoff backoff(config, Rng(7));
  backoff.next();
  backoff.next();
  EXPECT_EQ(backoff.attempt(), 2u);
  backoff.reset();
  EXPECT_EQ(backoff.next(), Micros{100});
}

TEST(Backoff, ManyFailuresNeverOverflow) {
  BackoffConfig config{
      .initial = Micros{1'000}, .maximum = Micros{5'000'000}, .multiplier = 10.0, .jitter = 1.0};
  Backoff backoff(config, Rng(3));
  for (int i = 0; i < 5000; ++i) {
    const Micros d = backoff.next();
    ASSERT_GE(d.count(), 1);
    ASSERT_LE(d, Micros{5'000'000});
  }
}

TEST(Backoff, ValidateNamesEveryBadField) {
  BackoffConfig config{
      .initial = Micros{0}, .maximum = Micros{-1}, .multiplier = 0.5, .jitter = 2.0};
  try {
    validate(config, "camera.backoff");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 4u);
    EXPECT_EQ(e.diagnostics()[0].field, "camera.backoff.initial");
    EXPECT_EQ(e.diagnostics()[3].field, "camera.backoff.jitter");
  }
  EXPECT_NO_THROW(validate(BackoffConfig{}, "x"));
}

}  // namespace
}  // namespace camleak::emulators
