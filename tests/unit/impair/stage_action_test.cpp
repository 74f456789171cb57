// A stage's counts by action: every action has its own name (the control API and report.json
// show them), and only what happened is shown.
#include "harness/impair/stage_action.hpp"

#include <gtest/gtest.h>

#include <set>

namespace camleak::impair {
namespace {

TEST(StageAction, EveryActionHasItsOwnName) {
  std::set<std::string_view> names;
  for (size_t i = 0; i < kStageActionCount; ++i) {
    const std::string_view name = to_string(static_cast<StageAction>(i));
    EXPECT_FALSE(name.empty()) << "action " << i;
    EXPECT_TRUE(names.insert(name).second) << name << " twice";
  }
  EXPECT_EQ(to_string(StageAction::passed), "passed");
  EXPECT_EQ(to_string(StageAction::close_delayed), "close_delayed");
  EXPECT_EQ(to_string(StageAction::reset), "reset");
}

TEST(StageAction, NamedCountsShowOnlyWhatHappenedWithBytesApart) {
  ActionCounts counts;
  counts.add(StageAction::dropped, 1, 1200);
  counts.add(StageAction::dropped, 1, 300);
  counts.add(StageAction::close, 1);
  counts.add(StageAction::slices, 4);
  EXPECT_EQ(counts.named(),
            (Counters{{"close", 1}, {"dropped", 2}, {"dropped_bytes", 1500}, {"slices", 4}}));
  EXPECT_EQ(counts.times(StageAction::dropped), 2u);
  EXPECT_EQ(counts.bytes(StageAction::dropped), 1500u);
  EXPECT_EQ(counts.times(StageAction::passed), 0u);
}

TEST(StageAction, CountsAddUp) {
  ActionCounts a;
  ActionCounts b;
  a.add(StageAction::delayed, 2, 10);
  b.add(StageAction::delayed, 3, 5);
  b.add(StageAction::reset, 1);
  a.add(b);
  EXPECT_EQ(a.named(), (Counters{{"delayed", 5}, {"delayed_bytes", 15}, {"reset", 1}}));
}

}  // namespace
}  // namespace camleak::impair
