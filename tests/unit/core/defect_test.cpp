// Defect names, shared by the scenario language, the relay's config and reports.
#include "harness/core/defect.hpp"

#include <gtest/gtest.h>

namespace camleak {
namespace {

TEST(DefectNames, RoundTripInDeclarationOrder) {
  const auto names = defect_names();
  ASSERT_EQ(names.size(), std::size(kAllDefects));
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(defect_name(kAllDefects[i]), names[i]);
    EXPECT_EQ(parse_defect(names[i]), kAllDefects[i]);
  }
  EXPECT_EQ(names.front(), "weak-signal-cache");
  EXPECT_FALSE(parse_defect("weak_signal_cache"));
}

}  // namespace
}  // namespace camleak
