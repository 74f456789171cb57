#include "harness/impair/distribution.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace camleak::impair {
namespace {

using test::mean;
using test::stddev;

TEST(Distribution, ParsesNetemNames) {
  EXPECT_EQ(parse_distribution("normal"), Distribution::normal);
  EXPECT_EQ(parse_distribution("paretonormal"), Distribution::paretonormal);
  EXPECT_FALSE(parse_distribution("gauss"));
  EXPECT_EQ(distribution_names().size(), 4u);
}

TEST(Distribution, NormalQuantiles) {
  EXPECT_NEAR(standard_quantile(Distribution::normal, 0.5), 0.0, 1e-9);
  EXPECT_NEAR(standard_quantile(Distribution::normal, 0.8413447), 1.0, 1e-5);
  EXPECT_NEAR(standard_quantile(Distribution::normal, 0.0227501), -2.0, 1e-5);
  EXPECT_NEAR(standard_quantile(Distribution::uniform, 0.0), -1.0, 1e-12);
  EXPECT_NEAR(standard_quantile(Distribution::uniform, 0.75), 0.5, 1e-12);
}

class Standardised : public ::testing::TestWithParam<Distribution> {};

TEST_P(Standardised, MeanZeroStddevOne) {
  Rng rng(5);
  std::vector<double> values;
  for (int i = 0; i < 200'000; ++i) values.push_back(standard_quantile(GetParam(), rng.uniform()));
  EXPECT_NEAR(mean(values), 0.0, 0.02);
  // Pareto (shape 3) has a heavy tail, so its sample spread converges slowly.
  EXPECT_NEAR(stddev(values), 1.0, GetParam() == Distribution::normal ? 0.01 : 0.1);
}

INSTANTIATE_TEST_SUITE_P(Tables, Standardised,
                         ::testing::Values(Distribution::normal, Distribution::pareto,
                                           Distribution::paretonormal));

TEST(Distribution, ParetoIsSkewedRight) {
  // Median below the mean, long right tail.
  EXPECT_LT(standard_quantile(Distribution::pareto, 0.5), 0.0);
  EXPECT_GT(standard_quantile(Distribution::pareto, 0.999), 5.0);
  EXPECT_GT(standard_quantile(Distribution::pareto, 0.0), -1.0);
}

TEST(Distribution, CorrelatedUniformStaysUniform) {
  for (double rho : {0.0, 0.5, 0.9}) {
    Rng rng(3);
    CorrelatedUniform uniform(rho);
    std::vector<double> values;
    int below_tenth = 0;
    for (int i = 0; i < 100'000; ++i) {
      const double u = uniform.next(rng);
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      values.push_back(u);
      if (u < 0.1) ++below_tenth;
    }
    EXPECT_NEAR(mean(values), 0.5, rho > 0.8 ? 0.02 : 0.01) << rho;
    EXPECT_NEAR(below_tenth / 100'000.0, 0.1, rho > 0.8 ? 0.015 : 0.006) << rho;
  }
}

TEST(Distribution, DelaySamplerNeverNegative) {
  Rng rng(1);
  DelaySampler sampler(Micros{1000}, Micros{5000}, Distribution::normal, 0);
  for (int i = 0; i < 10'000; ++i) EXPECT_GE(sampler.sample(rng).count(), 0);
  DelaySampler fixed(Micros{7000}, Micros{0}, Distribution::pareto, 0.5);
  EXPECT_EQ(fixed.sample(rng), Micros{7000});
}

}  // namespace
}  // namespace camleak::impair
