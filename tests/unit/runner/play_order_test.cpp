// The Player's schedule: which action is sent when, and which lateness is an error.
#include "harness/runner/play_order.hpp"

#include <gtest/gtest.h>

namespace camleak::runner {
namespace {

using namespace std::chrono_literals;
using Kind = schedule::TimedAction::Kind;

constexpr Micros kLead = 300ms;

schedule::TimedAction action(Micros at, Kind kind, std::string camera = {}, std::string account = {}) {
  schedule::TimedAction a;
  a.time = at;
  a.kind = kind;
  a.camera = std::move(camera);
  a.account = std::move(account);
  return a;
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
  t.actions = {action(29'900ms, Kind::set_stages), action(30s, Kind::phase), action(30s, Kind::revoke, "cam-1", "u2")};
  const auto order = play_order(t, 60s, kLead);
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(indices(order), (std::vector<size_t>{2, 0, 1}));
  EXPECT_EQ(order[0].due, 29'700ms);
  EXPECT_EQ(order[1].due, 29'900ms);
}

TEST(PlayOrderTest, RevokeNeverOvertakesItsOwnShare) {
  schedule::Timeline t;
  t.actions = {action(10s, Kind::share, "cam-1", "u2"), action(10'100ms, Kind::revoke, "cam-1", "u2"),
               action(10'100ms, Kind::revoke, "cam-9", "u2")};
  const auto order = play_order(t, 60s, kLead);
  ASSERT_EQ(order.size(), 3u);
  // cam-9's revoke has no share before it: due 9.8 s. cam-1's waits for its share at 10 s.
  EXPECT_EQ(indices(order), (std::vector<size_t>{2, 0, 1}));
  EXPECT_EQ(order[2].due, 10s);
}

TEST(PlayOrderTest, NothingIsDueBeforeZeroAndTiesKeepTimelineOrder) {
  schedule::Timeline t;
  t.actions = {action(0s, Kind::phase), action(0s, Kind::set_stages), action(100ms, Kind::revoke, "c", "a"),
               action(0s, Kind::partition_start)};
  const auto order = play_order(t, 60s, kLead);
  EXPECT_EQ(indices(order), (std::vector<size_t>{0, 1, 2, 3}));
  for (const auto& d : order) EXPECT_EQ(d.due, 0s);
}

TEST(PlayOrderTest, ActionsAtOrAfterTheEndAreNotPlayed) {
  schedule::Timeline t;
  t.actions = {action(5s, Kind::set_stages), action(10s, Kind::clear_stages), action(12s, Kind::revoke, "c", "a")};
  // The revoke at 12 s would be due at 11.7 s, but the run ends at 10 s: never played.
  EXPECT_EQ(indices(play_order(t, 10s, kLead)), (std::vector<size_t>{0}));
}

TEST(PlayOrderTest, LatenessBudgetFollowsWhatTheVerdictCanAbsorb) {
  EXPECT_EQ(lateness_budget(Kind::phase, kLead), Micros::max());
  EXPECT_EQ(lateness_budget(Kind::revoke, kLead), 150ms);  // the SUT still has half the lead
  for (const Kind k : {Kind::set_stages, Kind::clear_stages, Kind::partition_start, Kind::partition_end, Kind::drop,
                       Kind::redial, Kind::sut_restart, Kind::share})
    EXPECT_EQ(lateness_budget(k, kLead), 1s) << schedule::to_string(k);
  EXPECT_GT(lateness_budget(Kind::set_stages, kLead), kLatenessTolerance);
}

}  // namespace
}  // namespace camleak::runner
