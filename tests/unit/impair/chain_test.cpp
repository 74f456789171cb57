#include "harness/impair/chain.hpp"

#include <gtest/gtest.h>

#include "harness/core/errors.hpp"
#include "harness/core/event_log.hpp"
#include "test_support.hpp"

namespace camleak::impair {
namespace {

using namespace test;
using namespace std::chrono_literals;

ChainContext context(uint64_t connection = 0, Transport transport = Transport::stream,
                     EventLog* events = nullptr, uint64_t seed = 99) {
  return ChainContext{.link = "cam-1",
                      .connection = connection,
                      .direction = Direction::downstream,
                      .transport = transport,
                      .seed = seed,
                      .events = events};
}

StageSpec spec(std::string name, std::string type, Attributes attributes = {}) {
  return StageSpec{.name = std::move(name),
                   .type = std::move(type),
                   .direction = Direction::downstream,
                   .attributes = std::move(attributes)};
}

const Registry& registry() {
  return Registry::builtin();
}

std::vector<uint32_t> ids(const std::vector<Output>& out) {
  std::vector<uint32_t> result;
  for (const auto& o : out) {
    if (o.packet.kind == Packet::Kind::data) result.push_back(tag_of(o.packet));
  }
  return result;
}

const Counters* counters_of(const std::vector<Chain::StageCounters>& all, const std::string& name) {
  for (const auto& c : all) {
    if (c.name == name) return &c.counters;
  }
  return nullptr;
}

TEST(Chain, StartsWithAPassThroughThatCountsEverything) {
  Chain chain(context(), registry());
  EXPECT_EQ(chain.stage_names(), (std::vector<std::string>{"passthrough"}));
  EXPECT_TRUE(chain.empty());
  chain.push(tagged(1, 300), 5ms);
  EXPECT_EQ(chain.next_wakeup(5ms), Micros(5ms));
  EXPECT_EQ(chain.held_bytes(), 300u);
  const auto packet = chain.pop(5ms);
  ASSERT_TRUE(packet);
  EXPECT_EQ(tag_of(*packet), 1u);
  EXPECT_EQ(packet->entered_at, Micros(5ms));
  EXPECT_TRUE(chain.empty());
  EXPECT_FALSE(chain.next_wakeup(5ms));
  const auto counters = chain.counters();
  ASSERT_EQ(counters.size(), 1u);
  EXPECT_EQ(counters[0].counters.at("passed"), 1u);
  EXPECT_EQ(counters[0].counters.at("passed_bytes"), 300u);
}

TEST(Chain, StagesActInOrder) {
  Chain chain(context(), registry());
  ASSERT_TRUE(chain.add(spec("lat", "latency", {{"latency", int64_t{100}}}), 0ms));
  ASSERT_TRUE(chain.add(spec("bw", "bandwidth", {{"rate", int64_t{10}}}), 0ms));
  EXPECT_EQ(chain.stage_names(), (std::vector<std::string>{"passthrough", "lat", "bw"}));
  chain.push(tagged(1, 500), 0ms);  // 100 ms latency, then 50 ms at 10 KB/s
  chain.push(tagged(2, 500), 0ms);
  const auto out = run_until(chain, 0ms, 10s);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].at, Micros(150ms));
  EXPECT_EQ(out[1].at, Micros(200ms));
  EXPECT_EQ(ids(out), (std::vector<uint32_t>{1, 2}));
  EXPECT_TRUE(chain.empty());
}

TEST(Chain, IgnoresStagesForTheOtherDirection) {
  Chain chain(context(), registry());
  StageSpec up = spec("lat", "latency", {{"latency", int64_t{100}}});
  up.direction = Direction::upstream;
  EXPECT_FALSE(chain.add(up, 0ms));
  EXPECT_EQ(chain.stage_names().size(), 1u);
}

TEST(Chain, RefusesWrongTransportAndDuplicateNames) {
  Chain chain(context(), registry());
  EXPECT_THROW(chain.add(spec("l", "loss"), 0ms), InputError);
  EXPECT_THROW(chain.add(spec("x", "no_such_type"), 0ms), InputError);
  ASSERT_TRUE(chain.add(spec("a", "latency"), 0ms));
  EXPECT_THROW(chain.add(spec("a", "latency"), 0ms), InputError);
  EXPECT_THROW(chain.add(spec("b", "latency", {{"latency", int64_t{-5}}}), 0ms), InputError);
}

TEST(Chain, ToxicityIsRolledOncePerConnectionReproducibly) {
  StageSpec toxic = spec("lat", "latency", {{"latency", int64_t{10}}});
  toxic.toxicity = 0.3;
  int applied = 0;
  for (uint64_t connection = 0; connection < 2000; ++connection) {
    Chain first(context(connection), registry());
    Chain again(context(connection), registry());
    const bool a = first.add(toxic, 0ms);
    EXPECT_EQ(a, again.add(toxic, 0ms)) << connection;
    if (a) ++applied;
  }
  EXPECT_NEAR(applied / 2000.0, 0.3, 0.04);

  toxic.toxicity = 0.0;
  Chain never(context(), registry());
  EXPECT_FALSE(never.add(toxic, 0ms));
  toxic.toxicity = 1.0;
  Chain always(context(), registry());
  EXPECT_TRUE(always.add(toxic, 0ms));
}

TEST(Chain, ToxicityDependsOnTheSeed) {
  StageSpec toxic = spec("lat", "latency");
  toxic.toxicity = 0.5;
  std::vector<bool> a, b;
  for (uint64_t connection = 0; connection < 64; ++connection) {
    Chain x(context(connection, Transport::stream, nullptr, 1), registry());
    Chain y(context(connection, Transport::stream, nullptr, 2), registry());
    a.push_back(x.add(toxic, 0ms));
    b.push_back(y.add(toxic, 0ms));
  }
  EXPECT_NE(a, b);
}

TEST(Chain, TargetingPicksConnections) {
  auto applied = [](const Targeting& targeting) {
    std::vector<uint64_t> chosen;
    for (uint64_t connection = 0; connection < 10; ++connection) {
      Chain chain(context(connection), registry());
      StageSpec s = spec("lat", "latency");
      s.targeting = targeting;
      if (chain.add(s, 0ms)) chosen.push_back(connection);
    }
    return chosen;
  };
  EXPECT_EQ(applied({}).size(), 10u);
  EXPECT_EQ(applied({.mode = Targeting::Mode::indices, .indices = {2, 7}}),
            (std::vector<uint64_t>{2, 7}));
  EXPECT_EQ(applied({.mode = Targeting::Mode::first_n, .n = 3}), (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_EQ(applied({.mode = Targeting::Mode::nth, .n = 4}), (std::vector<uint64_t>{4}));

  Targeting half{.mode = Targeting::Mode::fraction, .fraction = 0.5};
  int chosen = 0;
  for (uint64_t connection = 0; connection < 2000; ++connection) {
    if (half.matches(connection, 1234)) ++chosen;
    EXPECT_EQ(half.matches(connection, 1234), half.matches(connection, 1234));
  }
  EXPECT_NEAR(chosen / 2000.0, 0.5, 0.04);
}

TEST(Chain, WindowActsOnlyInsideAndReleasesHeldDataInOrderAtItsEnd) {
  EventLog events;
  ChainContext c = context(0, Transport::stream, &events);
  c.link_epoch = 10s;  // window times are relative to the link's epoch
  Chain chain(c, registry());
  StageSpec s = spec("lat", "latency", {{"latency", int64_t{100}}});
  s.window = Window{.start = 1s, .stop = 2s};
  ASSERT_TRUE(chain.add(s, 10s));
  EXPECT_EQ(chain.next_wakeup(10s), Micros(11s));  // the window opening

  // Before the window: straight through.
  chain.push(tagged(1), 10'500ms);
  EXPECT_TRUE(chain.pop(10'500ms));
  // Inside: delayed.
  chain.push(tagged(2), 11'500ms);
  EXPECT_FALSE(chain.pop(11'599ms));
  EXPECT_TRUE(chain.pop(11'600ms));
  // Held across the end of the window: released when it closes, in order, ahead of later data.
  chain.push(tagged(3), 11'950ms);
  chain.push(tagged(4), 11'990ms);
  EXPECT_EQ(chain.next_wakeup(11'990ms), Micros(12s));
  chain.push(tagged(5), 12'000ms);
  std::vector<Output> out;
  collect(chain, 12'000ms, out);
  EXPECT_EQ(ids(out), (std::vector<uint32_t>{3, 4, 5}));
  // After: straight through again, and nothing left to wake for.
  chain.push(tagged(6), 12'500ms);
  EXPECT_TRUE(chain.pop(12'500ms));
  EXPECT_FALSE(chain.next_wakeup(12'500ms));
  // The stage's counters survive its window.
  const auto all = chain.counters();
  const auto* counters = counters_of(all, "lat");
  ASSERT_NE(counters, nullptr);
  EXPECT_EQ(counters->at("delayed"), 3u);

  const auto log = events.snapshot();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "window-start");
  EXPECT_EQ(log[0].time, Micros(11s));
  EXPECT_EQ(log[1].action, "window-end");
  EXPECT_EQ(log[1].time, Micros(12s));
  EXPECT_EQ(log[1].link, "cam-1");
}

TEST(Chain, StageTimersStartWhenTheWindowOpens) {
  Chain chain(context(), registry());
  StageSpec s = spec("t", "timeout", {{"timeout", int64_t{100}}});
  s.window = Window{.start = 1s};
  ASSERT_TRUE(chain.add(s, 0ms));
  chain.push(tagged(1), 500ms);
  EXPECT_TRUE(chain.pop(500ms));  // not yet in the window
  EXPECT_EQ(chain.next_wakeup(500ms), Micros(1s));
  EXPECT_FALSE(chain.pop(1s));  // window opens: the blackhole starts
  EXPECT_EQ(chain.next_wakeup(1s), Micros(1100ms));
  const auto close = chain.pop(1100ms);
  ASSERT_TRUE(close);
  EXPECT_EQ(close->kind, Packet::Kind::close);
}

TEST(Chain, WindowAlreadyOverWhenAddedPassesThrough) {
  ChainContext c = context();
  Chain chain(c, registry());
  StageSpec s = spec("t", "timeout");
  s.window = Window{.start = 1s, .stop = 2s};
  ASSERT_TRUE(chain.add(s, 5s));
  chain.push(tagged(1), 5s);
  EXPECT_TRUE(chain.pop(5s));
}

TEST(Chain, RemoveHandsHeldDataOnInOrder) {
  Chain chain(context(), registry());
  ASSERT_TRUE(chain.add(spec("hole", "timeout"), 0ms));
  ASSERT_TRUE(chain.add(spec("lat", "latency", {{"latency", int64_t{50}}}), 0ms));
  for (uint32_t i = 0; i < 5; ++i) chain.push(tagged(i), Micros(1ms) * i);
  EXPECT_FALSE(chain.pop(1s));
  EXPECT_FALSE(chain.empty());
  EXPECT_EQ(chain.held_bytes(), 500u);
  EXPECT_FALSE(chain.next_wakeup(1s));  // a blackhole has nothing to wake for

  ASSERT_TRUE(chain.remove("hole", 1s));
  EXPECT_FALSE(chain.remove("hole", 1s));
  const auto out = run_until(chain, 1s, 10s);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(ids(out), (std::vector<uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(out.front().at, Micros(1050ms));  // through the latency stage behind it
  EXPECT_EQ(chain.stage_names(), (std::vector<std::string>{"passthrough", "lat"}));
  // The removed stage's counters are still reported.
  const auto all = chain.counters();
  const auto* counters = counters_of(all, "hole");
  ASSERT_NE(counters, nullptr);
  EXPECT_EQ(counters->at("blackholed"), 5u);
}

TEST(Chain, RemoveWhileDataIsInFlightKeepsByteOrder) {
  Chain chain(context(), registry());
  ASSERT_TRUE(
      chain.add(spec("lat", "latency", {{"latency", int64_t{100}}, {"jitter", int64_t{50}}}), 0ms));
  ASSERT_TRUE(chain.add(spec("bw", "bandwidth", {{"rate", int64_t{50}}}), 0ms));
  std::vector<Output> out;
  uint32_t next = 0;
  for (int t = 0; t < 400; ++t) {
    const Micros now = Micros(1ms) * t;
    if (t == 150) {
      ASSERT_TRUE(chain.remove("lat", now));
    }
    if (t == 250) {
      ASSERT_TRUE(chain.remove("bw", now));
    }
    chain.push(tagged(next++, 200), now);
    collect(chain, now, out);
  }
  auto rest = run_until(chain, 400ms, 60s);
  for (auto& o : rest) out.push_back(std::move(o));
  const auto order = ids(out);
  ASSERT_EQ(order.size(), next);
  for (uint32_t i = 0; i < next; ++i) ASSERT_EQ(order[i], i);
}

TEST(Chain, ReconfigureMergesValidatesAndKeepsHeldData) {
  Chain chain(context(), registry());
  ASSERT_TRUE(chain.add(spec("lat", "latency", {{"latency", int64_t{1000}}}), 0ms));
  chain.push(tagged(1), 0ms);
  ASSERT_TRUE(chain.reconfigure("lat", {{"latency", int64_t{10}}}));
  chain.push(tagged(2), 1ms);
  const auto out = run_until(chain, 1ms, 10s);
  EXPECT_EQ(ids(out), (std::vector<uint32_t>{1, 2}));  // nothing dropped, order kept

  EXPECT_THROW(chain.reconfigure("lat", {{"latncy", int64_t{1}}}), InputError);
  EXPECT_FALSE(chain.reconfigure("nope", {}));
  EXPECT_FALSE(chain.reconfigure("passthrough", {}));

  // Merge: a later update of one attribute keeps the others (jitter stays 50 ms).
  ASSERT_TRUE(chain.reconfigure("lat", {{"jitter", int64_t{50}}}));
  ASSERT_TRUE(chain.reconfigure("lat", {{"latency", int64_t{100}}}));
  Micros lowest = Micros::max(), highest{0};
  for (int i = 0; i < 200; ++i) {
    const Micros now = 20s + Micros(1s) * i;
    chain.push(data(1), now);
    const Micros delay = *chain.next_wakeup(now) - now;
    ASSERT_TRUE(chain.pop(now + delay));
    lowest = std::min(lowest, delay);
    highest = std::max(highest, delay);
  }
  EXPECT_LT(lowest, Micros(60ms));
  EXPECT_GT(highest, Micros(140ms));
}

TEST(Chain, DatagramChain) {
  Chain chain(context(0, Transport::datagram), registry());
  ASSERT_TRUE(chain.add(spec("loss", "loss", {{"probability", 50.0}}), 0ms));
  ASSERT_TRUE(chain.add(spec("delay", "delay", {{"delay", 20.0}}), 0ms));
  EXPECT_THROW(chain.add(spec("lat", "latency"), 0ms), InputError);
  for (uint32_t i = 0; i < 1000; ++i) chain.push(tagged(i), 0ms);
  const auto out = run_until(chain, 0ms, 1s);
  EXPECT_NEAR(static_cast<double>(out.size()), 500.0, 60.0);
  for (const auto& o : out) EXPECT_EQ(o.at, Micros(20ms));
  const auto counters = chain.counters();
  EXPECT_EQ(counters_of(counters, "loss")->at("dropped") + out.size(), 1000u);
}

TEST(Chain, MovesKeepTheChain) {
  Chain chain(context(), registry());
  ASSERT_TRUE(chain.add(spec("lat", "latency", {{"latency", int64_t{5}}}), 0ms));
  chain.push(tagged(1), 0ms);
  Chain moved = std::move(chain);
  EXPECT_TRUE(moved.pop(5ms));
}

TEST(Validated, ReportsEveryProblem) {
  StageSpec s = spec("", "loss", {{"probabilty", 5.0}});
  s.toxicity = 1.5;
  s.window = Window{.start = 5s, .stop = 1s};
  try {
    validated(s, Transport::stream, registry());
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    std::vector<std::string> fields;
    for (const auto& d : error.diagnostics()) fields.push_back(d.field);
    EXPECT_EQ(fields,
              (std::vector<std::string>{"name", "toxicity", "window", "type", "probabilty"}));
  }
  const StageSpec ok =
      validated(spec("l", "loss", {{"probability", 5.0}}), Transport::datagram, registry());
  EXPECT_EQ(std::get<double>(ok.attributes.at("correlation")), 0.0);
}

}  // namespace
}  // namespace camleak::impair

namespace camleak::impair {
namespace {

using namespace test;
using namespace std::chrono_literals;

// Random stages that never drop data, added, reconfigured and removed at random while a byte
// stream flows: every byte must come out exactly once, in order, and the close last.
TEST(ChainProperty, StreamBytesSurviveAnyReconfiguration) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    Rng rng(seed);
    Chain chain(context(0, Transport::stream, nullptr, seed), registry());
    std::vector<uint8_t> sent;
    std::vector<Output> out;
    std::vector<std::pair<std::string, std::string>> live;  // name, type
    int next_name = 0;
    const std::vector<std::string> types{"latency", "bandwidth", "slicer", "slow_close", "timeout"};
    auto random_attributes = [&](const std::string& type) -> Attributes {
      auto below = [&](uint64_t n) { return static_cast<int64_t>(rng.below(n)); };
      if (type == "latency") {
        return {{"latency", below(200)},
                {"jitter", below(100)},
                {"distribution", std::string(rng.bernoulli(0.5) ? "normal" : "pareto")}};
      }
      if (type == "bandwidth") return {{"rate", 50 + below(5000)}};
      if (type == "slicer") {
        return {{"average_size", 100 + below(2000)},
                {"size_variation", below(50)},
                {"delay", below(3000)}};
      }
      if (type == "slow_close") return {{"delay", below(500)}};
      return {};  // timeout 0: a blackhole until removed
    };
    Micros now{0};
    for (int step = 0; step < 1500; ++step) {
      now += Micros(static_cast<int64_t>(rng.below(5000)));
      const uint64_t action = rng.below(100);
      if (action < 4) {
        const std::string& type = types[rng.below(types.size())];
        StageSpec s = spec("s" + std::to_string(next_name++), type, random_attributes(type));
        if (rng.bernoulli(0.3)) {
          s.window = Window{.start = now + Micros(static_cast<int64_t>(rng.below(200'000))),
                            .stop = now + 200ms + Micros(static_cast<int64_t>(rng.below(500'000)))};
        }
        if (chain.add(s, now)) live.emplace_back(s.name, s.type);
      } else if (action < 7 && !live.empty()) {
        const size_t i = rng.below(live.size());
        ASSERT_TRUE(chain.remove(live[i].first, now));
        live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
      } else if (action < 10 && !live.empty()) {
        const auto& [name, type] = live[rng.below(live.size())];
        ASSERT_TRUE(chain.reconfigure(name, random_attributes(type)));
      } else {
        Packet chunk = data(1 + rng.below(3000));
        for (auto& b : chunk.bytes) {
          b = static_cast<uint8_t>(sent.size() % 251);
          sent.push_back(b);
        }
        chain.push(std::move(chunk), now);
      }
      collect(chain, now, out);
      const auto wake = chain.next_wakeup(now);
      ASSERT_TRUE(!wake || *wake > now) << "spins at step " << step;
    }
    chain.push(signal(Packet::Kind::close), now);
    for (const auto& [name, type] : live) ASSERT_TRUE(chain.remove(name, now));
    auto rest = run_until(chain, now, now + 3600s);
    for (auto& o : rest) out.push_back(std::move(o));
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.back().packet.kind, Packet::Kind::close) << "seed " << seed;
    out.pop_back();
    EXPECT_EQ(concatenated(out), sent) << "seed " << seed;
    EXPECT_TRUE(chain.empty());
    EXPECT_EQ(chain.held_bytes(), 0u);
  }
}

TEST(ChainProperty, ReconfigureOfEachTypeKeepsHeldData) {
  const std::vector<std::pair<StageSpec, Attributes>> cases{
      {spec("a", "latency", {{"latency", int64_t{300}}}), {{"latency", int64_t{5}}}},
      {spec("a", "bandwidth", {{"rate", int64_t{1}}}), {{"rate", int64_t{2}}}},
      {spec("a", "slicer", {{"average_size", int64_t{10}}, {"delay", int64_t{1000}}}),
       {{"average_size", int64_t{500}}}},
      {spec("a", "slow_close", {{"delay", int64_t{100}}}), {{"delay", int64_t{0}}}},
      {spec("a", "timeout"), {{"timeout", int64_t{0}}}},
      {spec("a", "reset_peer", {{"timeout", int64_t{10'000}}}), {{"timeout", int64_t{20'000}}}},
  };
  for (const auto& [stage, update] : cases) {
    Chain chain(context(), registry());
    ASSERT_TRUE(chain.add(stage, 0ms));
    for (uint32_t i = 0; i < 10; ++i) chain.push(tagged(i, 200), Micros(1ms) * i);
    const size_t held = chain.held_bytes();
    ASSERT_TRUE(chain.reconfigure("a", update));
    EXPECT_EQ(chain.held_bytes(), held) << stage.type;
    ASSERT_TRUE(chain.remove("a", 10ms));
    const auto out = run_until(chain, 10ms, 10s);
    EXPECT_EQ(total_bytes(out), 2000u) << stage.type;
  }
}

}  // namespace
}  // namespace camleak::impair
