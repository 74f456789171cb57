#include "harness/proxy/wakeups.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <functional>
#include <optional>
#include <stdexcept>

namespace camleak::proxy {
namespace {

struct Target : Wakeable {
  void wake(int slot, uint64_t ticket) override {
    if (!wants(slot, ticket)) return;
    woken.emplace_back(slot, ticket);
    if (on_wake) on_wake();
  }
  // Every request stands, unless one ticket is named: then only that one does.
  bool wants(int, uint64_t ticket) const override {
    return !wanted_ticket || ticket == *wanted_ticket;
  }
  std::vector<std::pair<int, uint64_t>> woken;
  std::function<void()> on_wake;
  std::optional<uint64_t> wanted_ticket;
};

// One io_context, clock and Wakeups per test; the manual clock's time is set by the test.
template <typename TestClock>
class WakeupsOn : public ::testing::Test {
 protected:
  boost::asio::io_context io;
  TestClock clock;
  Wakeups wakeups{io, clock};
};
using WakeupsManualClock = WakeupsOn<ManualClock>;
using WakeupsRealClock = WakeupsOn<SteadyClock>;

TEST_F(WakeupsManualClock, RunDueWakesWhatIsDueInTimeOrder) {
  auto a = std::make_shared<Target>();
  auto b = std::make_shared<Target>();
  wakeups.schedule(Micros{500}, b, 1, 7);
  wakeups.schedule(Micros{200}, a, 0, 3);
  wakeups.schedule(Micros{900}, a, 1, 4);

  clock.set(Micros{199});
  wakeups.run_due();
  EXPECT_TRUE(a->woken.empty());

  clock.set(Micros{600});
  wakeups.run_due();
  EXPECT_EQ(a->woken, (std::vector<std::pair<int, uint64_t>>{{0, 3}}));
  EXPECT_EQ(b->woken, (std::vector<std::pair<int, uint64_t>>{{1, 7}}));
  EXPECT_EQ(wakeups.pending(), 1u);
}

TEST_F(WakeupsManualClock, AWakeUpThatAsksForNowWaitsForTheNextPass) {
  auto t = std::make_shared<Target>();
  uint64_t ticket = 0;
  t->on_wake = [&] { wakeups.schedule(clock.now(), t, 0, ++ticket); };
  wakeups.schedule(clock.now(), t, 0, ++ticket);
  wakeups.run_due();
  EXPECT_EQ(t->woken.size(), 1u);  // not an endless loop
  wakeups.run_due();
  EXPECT_EQ(t->woken.size(), 2u);
}

TEST_F(WakeupsManualClock, AnEndedTargetIsSkipped) {
  auto gone = std::make_shared<Target>();
  auto kept = std::make_shared<Target>();
  wakeups.schedule(Micros{10}, gone, 0, 1);
  wakeups.schedule(Micros{10}, kept, 0, 2);
  gone.reset();
  clock.set(Micros{10});
  wakeups.run_due();
  EXPECT_EQ(kept->woken.size(), 1u);
  EXPECT_EQ(wakeups.pending(), 0u);
}

TEST_F(WakeupsRealClock, TheTimerWakesAtTheTimeAskedOnARealClock) {
  auto t = std::make_shared<Target>();
  Micros woken_at{-1};
  t->on_wake = [&] { woken_at = clock.now(); };
  const Micros at = clock.now() + Micros{3000};
  wakeups.schedule(at, t, 0, 1);
  io.run_for(std::chrono::seconds(5));  // returns when the queue is empty: no work is left
  ASSERT_EQ(t->woken.size(), 1u);
  EXPECT_GE(woken_at, at);
}

TEST_F(WakeupsRealClock, AnEarlierWakeUpMovesTheTimerForward) {
  auto t = std::make_shared<Target>();
  t->on_wake = [&] { io.stop(); };
  // The timer waits for the first entry, a minute away; the second must move it forward, or
  // nothing wakes within the 10 s the test waits.
  wakeups.schedule(clock.now() + Micros{60'000'000}, t, 1, 1);
  wakeups.schedule(clock.now() + Micros{2000}, t, 0, 2);
  io.run_for(std::chrono::seconds(10));
  EXPECT_EQ(t->woken, (std::vector<std::pair<int, uint64_t>>{{0, 2}}));
  EXPECT_EQ(wakeups.pending(), 1u);
}

TEST_F(WakeupsManualClock, EntriesNobodyWantsAreDroppedAsTheQueueGrows) {
  auto live = std::make_shared<Target>();
  // Requests replaced by later ones (a session's timer moved again and again) and requests of
  // sessions that ended: far in the future, they would sit in the queue for minutes.
  live->wanted_ticket = 100'000;
  for (uint64_t ticket = 1; ticket <= 100'000; ++ticket) {
    wakeups.schedule(Micros{600'000'000} - Micros{static_cast<int64_t>(ticket)}, live, 0, ticket);
    auto ended = std::make_shared<Target>();
    wakeups.schedule(Micros{600'000'000}, ended, 1, ticket);
  }
  EXPECT_LT(wakeups.pending(), 10'000u);
  clock.set(Micros{600'000'000});
  wakeups.run_due();
  EXPECT_EQ(live->woken, (std::vector<std::pair<int, uint64_t>>{{0, 100'000}}));
}

TEST_F(WakeupsRealClock, ClearLeavesTheIoContextWithoutWorkAndSchedulingWorksAfter) {
  auto t = std::make_shared<Target>();
  wakeups.schedule(clock.now() + Micros{60'000'000}, t, 0, 1);  // a minute away
  wakeups.clear();
  EXPECT_EQ(wakeups.pending(), 0u);
  // Returns at once: the timer was the only work. run_for stops the io_context only when it
  // runs out of work, not when the 30 s pass, so stopped() says which without timing the call.
  io.run_for(std::chrono::seconds(30));
  EXPECT_TRUE(io.stopped());
  EXPECT_TRUE(t->woken.empty());

  io.restart();
  wakeups.schedule(clock.now() + Micros{1000}, t, 0, 2);
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(t->woken, (std::vector<std::pair<int, uint64_t>>{{0, 2}}));
}

TEST_F(WakeupsManualClock, AWakeUpThatThrowsLosesNoOtherWakeUp) {
  auto thrower = std::make_shared<Target>();
  auto other = std::make_shared<Target>();
  bool thrown = false;
  thrower->on_wake = [&] {
    if (!thrown) {
      thrown = true;
      throw std::runtime_error("wake failed");
    }
  };
  wakeups.schedule(Micros{10}, thrower, 0, 1);
  wakeups.schedule(Micros{10}, other, 0, 2);
  clock.set(Micros{10});
  EXPECT_THROW(wakeups.run_due(), std::runtime_error);
  EXPECT_TRUE(other->woken.empty());
  wakeups.run_due();  // not stuck "running", and the other wake-up is still queued
  EXPECT_EQ(other->woken, (std::vector<std::pair<int, uint64_t>>{{0, 2}}));
}

}  // namespace
}  // namespace camleak::proxy
