// The Player's schedule: which action is sent when, and which lateness is an error.
#include "harness/runner/play_order.hpp"

#include <gtest/gtest.h>

namespace camleak::runner {
namespace {

using namespace std::chrono_literals;
namespace step = schedule::step;

constexpr Micros kLead = 300ms;

schedule::TimedAction action(Micros at, schedule::Step what) {
  return schedule::TimedAction{.time = at, .step = std::move(what)};
}

std::vector<size_t> indices(const std::vector<DueAction>& order) {
  std::vector<size_t> out;
  for (const auto& d : order) out.push_back(d.index);
  return out;
}

// Regression: a phase marker at the revoke's second held the revoke behind it, so the revoke
// left at 30 s instead of 29.7 s.
TEST(PlayOrderTest, RevokeIsSentAheadOfActionsInItsLeadWindow) {
  schedule::Timeline t;
  t.actions = {action(29'900ms, step::SetStages{}), action(30s, step::PhaseStart{}),
               action(30s, step::Revoke{"cam-1", "u2"})};
  const auto order = play_order(t, 60s, kLead);
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(indices(order), (std::vector<size_t>{2, 0, 1}));
  EXPECT_EQ(order[0].due, 29'700ms);
  EXPECT_EQ(order[1].due, 29'900ms);
}

TEST(PlayOrderTest, RevokeNeverOvertakesItsOwnShare) {
  schedule::Timeline t;
  t.actions = {action(10s, step::Share{"cam-1", "u2"}),
               action(10'100ms, step::Revoke{"cam-1", "u2"}),
               action(10'100ms, step::Revoke{"cam-9", "u2"})};
  const auto order = play_order(t, 60s, kLead);
  ASSERT_EQ(order.size(), 3u);
  // cam-9's revoke has no share before it: due 9.8 s. cam-1's waits for its share at 10 s.
  EXPECT_EQ(indices(order), (std::vector<size_t>{2, 0, 1}));
  EXPECT_EQ(order[2].due, 10s);
}

TEST(PlayOrderTest, NothingIsDueBeforeZeroAndTiesKeepTimelineOrder) {
  schedule::Timeline t;
  t.actions = {action(0s, step::PhaseStart{}), action(0s, step::SetStages{}),
               action(100ms, step::Revoke{"c", "a"}), action(0s, step::PartitionStart{})};
  const auto order = play_order(t, 60s, kLead);
  EXPECT_EQ(indices(order), (std::vector<size_t>{0, 1, 2, 3}));
  for (const auto& d : order) EXPECT_EQ(d.due, 0s);
}

TEST(PlayOrderTest, ActionsAtOrAfterTheEndAreNotPlayed) {
  schedule::Timeline t;
  t.actions = {action(5s, step::SetStages{}), action(10s, step::ClearStages{}),
               action(12s, step::Revoke{"c", "a"})};
  // The revoke at 12 s would be due at 11.7 s, but the run ends at 10 s: never played.
  EXPECT_EQ(indices(play_order(t, 10s, kLead)), (std::vector<size_t>{0}));
}

TEST(PlayOrderTest, LatenessBudgetFollowsWhatTheVerdictCanAbsorb) {
  EXPECT_EQ(lateness_budget(step::PhaseStart{}, kLead), Micros::max());
  EXPECT_EQ(lateness_budget(step::Revoke{}, kLead), 150ms);  // the SUT still has half the lead
  for (const schedule::Step& s : std::vector<schedule::Step>{
           step::SetStages{}, step::ClearStages{}, step::PartitionStart{}, step::PartitionEnd{},
           step::Drop{}, step::Redial{}, step::SutRestart{}, step::Share{}})
    EXPECT_EQ(lateness_budget(s, kLead), 1s) << schedule::kind_name(s);
  EXPECT_GT(lateness_budget(step::SetStages{}, kLead), kLatenessTolerance);
}

}  // namespace
}  // namespace camleak::runner
