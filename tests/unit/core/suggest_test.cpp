#include "harness/core/suggest.hpp"

#include <gtest/gtest.h>

namespace camleak {
namespace {

TEST(Suggest, EditDistance) {
  EXPECT_EQ(edit_distance("jitter", "jitter"), 0u);
  EXPECT_EQ(edit_distance("jiter", "jitter"), 1u);
  EXPECT_EQ(edit_distance("jtiter", "jitter"), 1u);  // transposition
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(Suggest, SuggestsPlausibleTyposOnly) {
  const std::vector<std::string> keys{"latency", "jitter", "distribution", "correlation"};
  EXPECT_EQ(did_you_mean("jiter", keys), " (did you mean `jitter`?)");
  EXPECT_EQ(did_you_mean("Latency", keys), " (did you mean `latency`?)");
  EXPECT_EQ(did_you_mean("latency", keys), "");  // an exact match is not a typo
  EXPECT_EQ(did_you_mean("bandwidth", keys), "");
  EXPECT_EQ(closest_match("distrbution", keys), std::optional<std::string>("distribution"));
}

}  // namespace
}  // namespace camleak
