// The seeded timeline: determinism, ramps, storms, selections, shares.
#include "harness/schedule/timeline.hpp"

#include <gtest/gtest.h>

#include <map>

#include "tests/unit/scenario/test_util.hpp"

namespace camleak::schedule {
namespace {

using namespace std::chrono_literals;
using scenario::testing::load;
using scenario::testing::minimal;
// The actions whose step is a T, pointing into `t`.
template <class T>
std::vector<const TimedAction*> of_kind(const Timeline& t) {
  std::vector<const TimedAction*> out;
  for (const auto& a : t.actions) {
    if (a.is<T>()) out.push_back(&a);
  }
  return out;
}

const std::vector<impair::StageSpec>& stages_of(const TimedAction* a) {
  return a->as<step::SetStages>()->stages;
}

std::vector<std::string> storm_members(const Timeline& t) {
  std::vector<std::string> out;
  for (const auto* a : of_kind<step::Drop>(t)) out.push_back(a->devices.at(0));
  return out;
}

const std::string kStormScenario = R"(name: storm
duration: 2m
fleet:
  accounts: 10
links:
  live: {profile: 3g}
timeline:
  - {at: 0s, phase: warmup}
  - at: 10s
    set: {link: live, select: {fraction: 30%}, latency: 400ms, for: 20s}
  - at: 20s
    ramp: {link: uplink, stage: latency, attribute: latency, from: 50ms, to: 800ms, over: 30s}
  - {at: 50s, phase: storm}
  - at: 60s
    storm:
      devices: hubs
      select: {fraction: 40%}
      mode: spread
      window: 5s
      down: 3s
      backoff: {initial: 500ms, max: 4s, jitter: 50%}
  - {at: 90s, partition: {link: snapshot, select: {hubs: [hub-1, hub-2]}, for: 5s}}
  - {at: 100s, sut: restart}
)";

TEST(Timeline, SameFileAndSeedGiveByteIdenticalSchedules) {
  const auto a = resolve(load(kStormScenario), 42).to_text();
  const auto b = resolve(load(kStormScenario), 42).to_text();
  EXPECT_EQ(a, b);
  EXPECT_GT(a.size(), 1000u);
  EXPECT_NE(a, resolve(load(kStormScenario), 43).to_text());
}

TEST(Timeline, DifferentSeedsChangeStormMembership) {
  const auto s = load(kStormScenario);
  std::set<std::vector<std::string>> memberships;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const auto members = storm_members(resolve(s, seed));
    EXPECT_EQ(members.size(), 4u);  // 40% of 10 hubs
    memberships.insert(members);
  }
  EXPECT_GT(memberships.size(), 10u);
}

TEST(Timeline, ActionsAreSortedAndPhasesComeFirstAtEqualTimes) {
  const auto t = resolve(load(kStormScenario), 7);
  for (size_t i = 1; i < t.actions.size(); ++i) {
    EXPECT_LE(t.actions[i - 1].time, t.actions[i].time);
  }
  ASSERT_FALSE(t.actions.empty());
  ASSERT_TRUE(t.actions[0].is<step::PhaseStart>());
  EXPECT_EQ(t.actions[0].as<step::PhaseStart>()->name, "warmup");
  EXPECT_EQ(of_kind<step::SutRestart>(t).size(), 1u);
  EXPECT_EQ(of_kind<step::SutRestart>(t)[0]->time, 100s);
  const auto cuts = of_kind<step::PartitionStart>(t);
  ASSERT_EQ(cuts.size(), 1u);
  EXPECT_EQ(cuts[0]->links, (std::vector<std::string>{"snapshot:hub-1", "snapshot:hub-2"}));
  ASSERT_EQ(of_kind<step::PartitionEnd>(t).size(), 1u);
  EXPECT_EQ(of_kind<step::PartitionEnd>(t)[0]->time, 95s);
}

TEST(Timeline, RampIsResolvedIntoLinearStepsAtTheResolution) {
  const auto t = resolve(load(kStormScenario), 1);
  std::vector<const TimedAction*> steps;
  for (const auto* a : of_kind<step::SetStages>(t)) {
    if (a->source == "ramp@20s") steps.push_back(a);
  }
  // 30 s every 250 ms: 120 intervals, 121 steps, both ends included.
  ASSERT_EQ(steps.size(), 121u);
  auto latency = [](const TimedAction* a) {
    return std::get<int64_t>(stages_of(a).at(0).attributes.at("latency"));
  };
  EXPECT_EQ(steps.front()->time, 20s);
  EXPECT_EQ(latency(steps.front()), 50);
  EXPECT_EQ(steps[60]->time, 35s);
  EXPECT_EQ(latency(steps[60]), 425);  // half way: (50 + 800) / 2
  EXPECT_EQ(steps[1]->time, 20'250ms);
  EXPECT_EQ(latency(steps[1]), 56);  // 50 + 750 / 120 = 56.25, rounded: integer attribute
  EXPECT_EQ(steps.back()->time, 50s);
  EXPECT_EQ(latency(steps.back()), 800);
  EXPECT_EQ(steps.front()->links.size(), 10u);  // select: all cameras
  EXPECT_EQ(stages_of(steps.front()).at(0).name, "latency_upstream");
}

TEST(Timeline, RampWhoseWindowIsNotAMultipleOfTheStepEndsExactly) {
  // `delay` is a UDP stage and these hubs play over TCP: it could never act, so it is refused.
  EXPECT_NE(scenario::testing::errors_of(minimal(R"(timeline:
  - at: 1s
    ramp: {link: live, stage: delay, attribute: delay, from: 0ms, to: 100ms, over: 1s}
)"))
                .find("acts on UDP flows, but every live link it selects carries TCP"),
            std::string::npos);
  const auto tcp = load(minimal(R"(timeline:
  - at: 1s
    ramp: {link: live, stage: latency, attribute: jitter, from: 0ms, to: 100ms, over: 1s, every: 300ms}
)"));
  const Timeline timeline = resolve(tcp, 1);  // of_kind points into it
  const auto steps = of_kind<step::SetStages>(timeline);
  ASSERT_EQ(steps.size(), 5u);
  const std::vector<Micros> times{1s, 1300ms, 1600ms, 1900ms, 2s};
  const std::vector<int64_t> values{0, 30, 60, 90, 100};
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i]->time, times[i]);
    EXPECT_EQ(std::get<int64_t>(stages_of(steps[i]).at(0).attributes.at("jitter")), values[i]);
  }
}

TEST(Timeline, SetForAWindowIsClearedAfterIt) {
  const auto t = resolve(load(kStormScenario), 5);
  std::vector<const TimedAction*> sets, clears;
  for (const auto& a : t.actions) {
    if (a.source != "set@10s") continue;
    (a.is<step::SetStages>() ? sets : clears).push_back(&a);
  }
  ASSERT_EQ(sets.size(), 1u);
  ASSERT_EQ(clears.size(), 1u);
  EXPECT_EQ(sets[0]->links.size(), 3u);  // 30% of 10 hubs
  EXPECT_EQ(clears[0]->time, 30s);
  EXPECT_EQ(clears[0]->links, sets[0]->links);
  ASSERT_TRUE(clears[0]->is<step::ClearStages>());
  EXPECT_EQ(clears[0]->as<step::ClearStages>()->names,
            (std::vector<std::string>{"latency_upstream", "latency_downstream"}));
}

TEST(Timeline, StormSelectionIsSpreadEvenlyOverSeeds) {
  const auto s = load(R"(name: spread
duration: 1m
fleet:
  accounts: 10
timeline:
  - {at: 10s, storm: {devices: hubs, select: {fraction: 30%}}}
)");
  std::map<std::string, int> hits;
  constexpr int kSeeds = 200;
  for (uint64_t seed = 0; seed < kSeeds; ++seed) {
    for (const auto& m : storm_members(resolve(s, seed))) ++hits[m];
  }
  ASSERT_EQ(hits.size(), 10u) << "every hub is selected by some seed";
  for (const auto& [hub, n] : hits) {
    // Expected 60 (30% of 200); binomial sd ~6.5, so 35..85 is a wide, non-flaky band.
    EXPECT_GT(n, 35) << hub;
    EXPECT_LT(n, 85) << hub;
  }
}

TEST(Timeline, AllAtOnceStormDropsAndRedialsTogether) {
  const auto s = load(minimal(R"(timeline:
  - {at: 10s, storm: {devices: cameras, down: 2s}}
)"));
  const auto t = resolve(s, 3);
  const auto drops = of_kind<step::Drop>(t);
  const auto redials = of_kind<step::Redial>(t);
  ASSERT_EQ(drops.size(), 2u);
  ASSERT_EQ(redials.size(), 2u);
  for (const auto* d : drops) {
    EXPECT_EQ(d->time, 10s);
    EXPECT_EQ(d->links.size(), 1u);
    EXPECT_EQ(d->links[0], "uplink:" + d->devices[0]);
  }
  for (const auto* r : redials) EXPECT_EQ(r->time, 12s);
}

TEST(Timeline, SpreadStormUsesJitteredBackoffWithinItsBounds) {
  scenario::StormAction storm;
  storm.mode = scenario::StormAction::Mode::spread;
  storm.window = 5s;
  storm.down = 3s;
  storm.backoff_initial = 500ms;
  storm.backoff_max = 4s;
  storm.backoff_multiplier = 2;
  storm.backoff_jitter = 0.5;
  std::vector<std::string> members;
  for (int i = 1; i <= 50; ++i) members.push_back("hub-" + std::to_string(i));
  const auto out = resolve_storm(storm, members, 60s, 99, "storm@60s");
  ASSERT_EQ(out.size(), 50u);
  std::set<Micros> drops;
  for (const auto& m : out) {
    EXPECT_GE(m.drop, 60s);
    EXPECT_LE(m.drop, 65s);
    EXPECT_EQ(m.drop.count() % 1000, 0);
    EXPECT_GE(m.redial, m.drop + storm.down);
    // Delays 0.5s, 1s, 2s, 4s each scaled into [50%, 100%]: the sum of failed attempts stays
    // below `down`, so the first success is at most one max delay after it.
    EXPECT_LE(m.redial, m.drop + storm.down + storm.backoff_max);
    EXPECT_GE(m.attempts, 1u);  // the first attempt (at most 500 ms) is inside the 3 s outage
    EXPECT_LE(m.attempts, 4u);
    drops.insert(m.drop);
  }
  EXPECT_GT(drops.size(), 30u) << "drops are spread over the window";
  // A member's times depend only on the seed, the storm id and its own name.
  const auto again = resolve_storm(storm, {"hub-7"}, 60s, 99, "storm@60s");
  EXPECT_EQ(again[0].drop, out[6].drop);
  EXPECT_EQ(again[0].redial, out[6].redial);
}

TEST(Timeline, AddingAnUnrelatedEntryDoesNotReshuffleOthers) {
  const std::string base = minimal(R"(timeline:
  - {at: 10s, storm: {devices: hubs, select: {fraction: 50%}}}
  - {at: 20s, set: {link: live, select: {fraction: 50%}, latency: 1s}}
)");
  const std::string more = minimal(R"(timeline:
  - {at: 5s, storm: {devices: cameras, select: {fraction: 50%}}}
  - {at: 10s, storm: {devices: hubs, select: {fraction: 50%}}}
  - {at: 15s, partition: {link: live, select: {fraction: 50%}, for: 1s}}
  - {at: 20s, set: {link: live, select: {fraction: 50%}, latency: 1s}}
)");
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const auto a = resolve(load(base), seed);
    const auto b = resolve(load(more), seed);
    auto pick = [](const Timeline& t, const std::string& source) {
      for (const auto& x : t.actions) {
        if (x.source == source) return x.devices;  // the drop, or the set
      }
      return std::vector<std::string>{};
    };
    EXPECT_EQ(pick(a, "storm@10s"), pick(b, "storm@10s"));
    EXPECT_EQ(pick(a, "set@20s"), pick(b, "set@20s"));
  }
}

TEST(Timeline, ChooseFractionCountsAndOrder) {
  const std::vector<std::string> c{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
  EXPECT_EQ(choose_fraction(c, 0.3, 1).size(), 3u);
  EXPECT_EQ(choose_fraction(c, 0.01, 1).size(), 1u);  // above zero: at least one
  EXPECT_TRUE(choose_fraction(c, 0.0, 1).empty());
  EXPECT_EQ(choose_fraction(c, 1.0, 1), c);
  const auto picked = choose_fraction(c, 0.5, 77);
  EXPECT_TRUE(std::is_sorted(picked.begin(), picked.end())) << "candidates' order is kept";
  EXPECT_EQ(picked, choose_fraction(c, 0.5, 77));
}

TEST(Timeline, SharesAndRevokesBecomeActions) {
  const auto s = load(minimal(R"(shares:
  - {camera: cam-1, with: user-2, from: 5s, until: 20s}
timeline:
  - {at: 30s, share: {camera: cam-2, with: user-1}}
  - {at: 40s, revoke: {camera: cam-2, from: user-1}}
)"));
  const auto t = resolve(s, 0);
  const auto shares = of_kind<step::Share>(t);
  const auto revokes = of_kind<step::Revoke>(t);
  ASSERT_EQ(shares.size(), 2u);
  ASSERT_EQ(revokes.size(), 2u);
  EXPECT_EQ(shares[0]->time, 5s);
  EXPECT_EQ(shares[0]->source, "shares[0]");
  EXPECT_EQ(revokes[0]->time, 20s);
  EXPECT_EQ(shares[1]->time, 30s);
  EXPECT_EQ(shares[1]->as<step::Share>()->camera, "cam-2");
  EXPECT_EQ(shares[1]->as<step::Share>()->account, "user-1");
  EXPECT_EQ(revokes[1]->time, 40s);
}

TEST(Timeline, TextListsEveryActionOnItsOwnLine) {
  const auto t = resolve(load(kStormScenario), 11);
  const std::string text = t.to_text();
  size_t lines = 0;
  for (char ch : text) lines += ch == '\n';
  EXPECT_EQ(lines, t.actions.size() + 1);  // header + one per action
  EXPECT_NE(text.find("sut-restart"), std::string::npos);
  EXPECT_NE(text.find("partition   snapshot:hub-1,snapshot:hub-2  [partition@90s]"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace camleak::schedule
