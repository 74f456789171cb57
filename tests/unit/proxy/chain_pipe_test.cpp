// One direction of a session, as TCP connections and UDP flows share it: stage counts, counters
// keyed by name/direction, and the one wake-up it asks for (clamped, earliest wins, tickets
// supersede). Manual clock.
#include "harness/proxy/chain_pipe.hpp"

#include <gtest/gtest.h>

namespace camleak::proxy {
namespace {

using namespace std::chrono_literals;
using impair::Direction;

ChainPipe pipe_of(Direction direction = Direction::downstream) {
  impair::Chain chain(impair::ChainContext{.link = "l", .direction = direction},
                      impair::Registry::builtin());
  return ChainPipe(direction, std::move(chain), 0);
}

impair::StageSpec latency(std::string name, int64_t ms, Direction direction) {
  return impair::StageSpec{.name = std::move(name),
                           .type = "latency",
                           .direction = direction,
                           .attributes = {{"latency", ms}}};
}

impair::Packet data(size_t size) {
  return impair::Packet{.kind = impair::Packet::Kind::data, .bytes = std::vector<uint8_t>(size, 1)};
}

TEST(ChainPipe, CountsOnlyTheStagesOfItsDirection) {
  ChainPipe pipe = pipe_of(Direction::upstream);
  EXPECT_FALSE(pipe.add(latency("down", 10, Direction::downstream), 0ms));
  EXPECT_TRUE(pipe.add(latency("up", 10, Direction::upstream), 0ms));
  EXPECT_EQ(pipe.active_stages, 1u);
  EXPECT_FALSE(pipe.remove("down", 0ms));
  EXPECT_TRUE(pipe.remove("up", 0ms));
  EXPECT_EQ(pipe.active_stages, 0u);
  std::map<std::string, StageStats> stats;
  pipe.collect(stats);
  ASSERT_TRUE(stats.contains("up/upstream"));  // a removed stage's counters stay
  EXPECT_EQ(stats.at("up/upstream").type, "latency");
  EXPECT_EQ(stats.at("up/upstream").direction, Direction::upstream);
}

TEST(ChainPipe, AsksForOneWakeupTheEarliestAndNeverSoonerThanATimerStep) {
  ChainPipe pipe = pipe_of();
  EXPECT_FALSE(pipe.next_wakeup(0ms));  // nothing held
  ASSERT_TRUE(pipe.add(latency("lat", 100, Direction::downstream), 0ms));
  pipe.chain.push(data(10), 0ms);
  const auto first = pipe.next_wakeup(0ms);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->at, Micros(100ms));
  EXPECT_FALSE(pipe.next_wakeup(0ms));  // already asked for that one
  EXPECT_TRUE(pipe.awaits(first->ticket));
  // The stage goes: what it held is due at once, so an earlier wake-up is asked, a timer step
  // later, and its ticket supersedes the first.
  ASSERT_TRUE(pipe.remove("lat", 50ms));
  const auto sooner = pipe.next_wakeup(50ms);
  ASSERT_TRUE(sooner);
  EXPECT_GT(sooner->at, Micros(50ms));
  EXPECT_LE(sooner->at, Micros(51ms));
  EXPECT_FALSE(pipe.awaits(first->ticket));
  EXPECT_FALSE(pipe.take(first->ticket));
  EXPECT_TRUE(pipe.take(sooner->ticket));
  // Taken: the next pump may ask again.
  EXPECT_TRUE(pipe.next_wakeup(50ms));
}

}  // namespace
}  // namespace camleak::proxy
