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
}

TEST(StageAction, NamesAreTheOnesTheApiAndReportsHaveAlwaysShown) {
  const std::pair<StageAction, std::string_view> expected[] = {
      {StageAction::passed, "passed"},
      {StageAction::delayed, "delayed"},
      {StageAction::throttled, "throttled"},
      {StageAction::sliced, "sliced"},
      {StageAction::slices, "slices"},
      {StageAction::truncated, "truncated"},
      {StageAction::blackhole, "blackhole"},
      {StageAction::blackholed, "blackholed"},
      {StageAction::discarded, "discarded"},
      {StageAction::dropped, "dropped"},
      {StageAction::duplicated, "duplicated"},
      {StageAction::corrupted, "corrupted"},
      {StageAction::reordered, "reordered"},
      {StageAction::overflow, "overflow"},
      {StageAction::armed, "armed"},
      {StageAction::close, "close"},
      {StageAction::close_delayed, "close_delayed"},
      {StageAction::reset, "reset"}};
  ASSERT_EQ(std::size(expected), kStageActionCount);
  for (const auto& [action, name] : expected) EXPECT_EQ(to_string(action), name);
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

TEST(StageAction, CopiesAreIndependentAndNothingCountedShowsNothing) {
  ActionCounts none;
  EXPECT_TRUE(none.named().empty());
  EXPECT_EQ(none.times(StageAction::dropped), 0u);
  ActionCounts a;
  a.add(StageAction::dropped, 1, 100);
  ActionCounts copy = a;
  copy.add(StageAction::dropped, 1, 100);
  EXPECT_EQ(a.times(StageAction::dropped), 1u);
  EXPECT_EQ(copy.times(StageAction::dropped), 2u);
  none.add(a);
  EXPECT_EQ(none.named(), a.named());
  a = ActionCounts{};
  EXPECT_TRUE(a.named().empty());
}

}  // namespace
}  // namespace camleak::impair
