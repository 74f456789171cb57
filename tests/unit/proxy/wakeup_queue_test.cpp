#include "harness/proxy/wakeup_queue.hpp"

#include <gtest/gtest.h>

namespace camleak::proxy {
namespace {

struct Recorder : Wakeable {
  void wake(int slot, uint64_t ticket) override { woken.emplace_back(slot, ticket); }
  bool wants(int, uint64_t ticket) const override { return ticket % 2 == 0; }
  std::vector<std::pair<int, uint64_t>> woken;
};

TEST(WakeupQueue, EmptyHasNothingDue) {
  WakeupQueue q;
  EXPECT_FALSE(q.earliest());
  EXPECT_FALSE(q.pop_due(Micros{1'000'000}));
}

TEST(WakeupQueue, LeavesEarliestFirstAndOnlyWhenDue) {
  auto target = std::make_shared<Recorder>();
  WakeupQueue q;
  q.push(Micros{300}, target, 0, 1);
  q.push(Micros{100}, target, 1, 2);
  q.push(Micros{200}, target, 0, 3);
  EXPECT_EQ(q.earliest(), Micros{100});
  EXPECT_FALSE(q.pop_due(Micros{99}));
  auto first = q.pop_due(Micros{250});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->ticket, 2u);
  EXPECT_EQ(first->slot, 1);
  auto second = q.pop_due(Micros{250});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->ticket, 3u);
  EXPECT_FALSE(q.pop_due(Micros{250}));  // 300 is not due yet
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.earliest(), Micros{300});
}

TEST(WakeupQueue, SameTimeLeavesInArrivalOrder) {
  auto target = std::make_shared<Recorder>();
  WakeupQueue q;
  for (uint64_t ticket = 1; ticket <= 50; ++ticket) q.push(Micros{7}, target, 0, ticket);
  for (uint64_t ticket = 1; ticket <= 50; ++ticket) {
    auto e = q.pop_due(Micros{7});
    ASSERT_TRUE(e);
    EXPECT_EQ(e->ticket, ticket);
  }
}

TEST(WakeupQueue, KeepsOnlyAWeakHoldOnItsTargets) {
  WakeupQueue q;
  auto target = std::make_shared<Recorder>();
  q.push(Micros{1}, target, 0, 1);
  target.reset();  // the session ended before its wake-up
  auto e = q.pop_due(Micros{1});
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->target.expired());
}

TEST(WakeupQueue, DropUnwantedKeepsOnlyLiveWantedEntriesInOrder) {
  WakeupQueue q;
  auto target = std::make_shared<Recorder>();  // wants even tickets only
  auto ended = std::make_shared<Recorder>();
  for (uint64_t ticket = 1; ticket <= 10; ++ticket) {
    q.push(Micros{static_cast<int64_t>(100 - ticket)}, target, 0, ticket);
  }
  q.push(Micros{1}, ended, 0, 2);
  ended.reset();
  q.drop_unwanted();
  EXPECT_EQ(q.size(), 5u);
  std::vector<uint64_t> order;
  while (auto e = q.pop_due(Micros{1000})) order.push_back(e->ticket);
  EXPECT_EQ(order, (std::vector<uint64_t>{10, 8, 6, 4, 2}));
}

}  // namespace
}  // namespace camleak::proxy
