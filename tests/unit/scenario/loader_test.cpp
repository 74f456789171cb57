// Loading valid scenarios: defaults, fleet expansion, units, profiles and overrides, shares.
#include <gtest/gtest.h>

#include <set>

#include "harness/scenario/profiles.hpp"
#include "tests/unit/scenario/test_util.hpp"

namespace camleak::scenario {
namespace {

using namespace std::chrono_literals;
using testing::load;
using testing::minimal;

const impair::StageSpec* stage(const Link& link, std::string_view name) {
  for (const auto& s : link.stages) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

int64_t int_attr(const impair::StageSpec& s, const std::string& name) {
  return std::get<int64_t>(s.attributes.at(name));
}

double number_attr(const impair::StageSpec& s, const std::string& name) {
  const auto& v = s.attributes.at(name);
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return std::get<double>(v);
}

TEST(ScenarioLoader, MinimalScenarioGetsEveryDefault) {
  const Scenario s = load(minimal());
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.duration, 60s);
  EXPECT_FALSE(s.seed);
  EXPECT_EQ(s.sut.kind, Sut::Kind::builtin);
  EXPECT_TRUE(s.sut.builtin.defects.empty());
  ASSERT_EQ(s.fleet.accounts.size(), 2u);
  EXPECT_EQ(s.fleet.accounts[0].name, "user-1");
  ASSERT_EQ(s.fleet.cameras.size(), 2u);
  EXPECT_EQ(s.fleet.cameras[1].name, "cam-2");
  EXPECT_EQ(s.fleet.cameras[1].owner, "user-2");
  EXPECT_EQ(s.fleet.cameras[1].width, 320u);
  EXPECT_EQ(s.fleet.cameras[1].bitrate_bps, 256'000u);
  ASSERT_EQ(s.fleet.hubs.size(), 2u);
  EXPECT_EQ(s.fleet.hubs[0].own_cameras, std::vector<std::string>{"cam-1"});
  EXPECT_EQ(s.fleet.hubs[0].probe_interval, 5s);
  // One link per device and role, named deterministically, all clean.
  ASSERT_EQ(s.links.size(), 6u);
  EXPECT_EQ(s.links[0].name, "uplink:cam-1");
  EXPECT_EQ(s.links[2].name, "live:hub-1");
  EXPECT_EQ(s.links[5].name, "snapshot:hub-2");
  for (const auto& l : s.links) EXPECT_TRUE(l.stages.empty()) << l.name;
  ASSERT_EQ(s.phases.size(), 1u);
  EXPECT_EQ(s.phases[0].name, "baseline");
  EXPECT_EQ(s.phases[0].end, 60s);
  EXPECT_EQ(s.checks.leaks, 0u);
  EXPECT_EQ(s.phases[0].limits.freshness, 5s);
  EXPECT_TRUE(s.phases[0].limits.probes_refused);
}

TEST(ScenarioLoader, FleetPatternsAndExplicitAccounts) {
  const Scenario s = load(R"(name: f
duration: 10s
fleet:
  accounts: [alice, {name: bob, cameras: 3, hubs: 2}, {name: carol, hubs: 0}]
  cameras_per_account: 1
  camera: {name: "{account}-cam-{i}", resolution: 640x480, fps: 25, gop: 50, bitrate: 2Mbps, transport: udp}
  hub: {name: "{account}-hub-{i}", watch: own, snapshot_interval: 0s, probe: {interval: 10s, via: [live]}}
)");
  std::vector<std::string> cameras;
  std::set<uint32_t> codes;
  for (const auto& c : s.fleet.cameras) {
    cameras.push_back(c.name);
    codes.insert(c.code);
    EXPECT_EQ(c.transport, MediaTransport::udp);
    EXPECT_EQ(c.width, 640u);
    EXPECT_EQ(c.fps, 25u);
    EXPECT_EQ(c.bitrate_bps, 2'000'000u);
  }
  EXPECT_EQ(cameras, (std::vector<std::string>{"alice-cam-1", "bob-cam-1", "bob-cam-2", "bob-cam-3",
                                               "carol-cam-1"}));
  EXPECT_EQ(codes.size(), cameras.size()) << "every camera has its own numeric code";
  ASSERT_EQ(s.fleet.hubs.size(), 3u);
  EXPECT_EQ(s.fleet.hubs[2].name, "bob-hub-2");
  EXPECT_EQ(s.fleet.hubs[2].own_cameras.size(), 3u);
  EXPECT_FALSE(s.fleet.hubs[0].watch_shared);
  EXPECT_EQ(s.fleet.hubs[0].snapshot_interval, 0s);
  EXPECT_TRUE(s.fleet.hubs[0].probe_live);
  EXPECT_FALSE(s.fleet.hubs[0].probe_snapshot);
  EXPECT_EQ(s.fleet.account("bob")->hubs.size(), 2u);
  // UDP cameras give datagram uplinks.
  EXPECT_EQ(s.link("uplink:bob-cam-2")->transport, impair::Transport::datagram);
}

TEST(ScenarioLoader, UnitsAreConvertedToTheRegistryUnits) {
  const Scenario s = load(minimal(R"(links:
  live:
    stages:
      - {type: latency, latency: 250ms, jitter: 1s}
      - {type: bandwidth, rate: 2Mbps, direction: both}
      - {type: latency, name: slow_ack, direction: up, latency: 40, toxicity: 25%}
)"));
  const Link& live = *s.link("live:hub-1");
  ASSERT_EQ(live.stages.size(), 4u);
  EXPECT_EQ(int_attr(*stage(live, "latency_downstream"), "latency"), 250);
  EXPECT_EQ(int_attr(*stage(live, "latency_downstream"), "jitter"), 1000);
  EXPECT_EQ(stage(live, "latency_downstream")->direction, impair::Direction::downstream);
  EXPECT_EQ(int_attr(*stage(live, "bandwidth_upstream"), "rate"), 250);  // KB/s
  EXPECT_EQ(stage(live, "bandwidth_upstream")->direction, impair::Direction::upstream);
  const auto* ack = stage(live, "slow_ack");
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->direction, impair::Direction::upstream);
  EXPECT_DOUBLE_EQ(ack->toxicity, 0.25);
  EXPECT_EQ(int_attr(*ack, "latency"), 40);  // a bare number is in the attribute's unit (ms)
  // Defaults of the registry are filled in.
  EXPECT_TRUE(ack->attributes.contains("distribution"));
}

TEST(ScenarioLoader, ProfilesExpandAndSingleKnobsOverrideThem) {
  const Scenario s = load(minimal(R"(links:
  live:
    profile: 3g
    latency_down: 300ms
  uplink:
    profile: edge
    up: 100kbps
)"));
  // WebPageTest 3G: 1.6 Mbps down, 768 kbps up, 300 ms RTT (150 ms each way).
  const Link& live = *s.link("live:hub-2");
  EXPECT_EQ(live.profile, "3g");
  EXPECT_EQ(int_attr(*stage(live, "latency_downstream"), "latency"), 300);  // overridden
  EXPECT_EQ(int_attr(*stage(live, "latency_upstream"), "latency"), 150);    // from the profile
  EXPECT_EQ(int_attr(*stage(live, "bandwidth_downstream"), "rate"), 200);   // 1.6 Mbps in KB/s
  EXPECT_EQ(int_attr(*stage(live, "bandwidth_upstream"), "rate"), 96);      // 768 kbps
  const Link& up = *s.link("uplink:cam-1");
  EXPECT_EQ(int_attr(*stage(up, "bandwidth_upstream"), "rate"), 13);  // 100 kbps -> 12.5 KB/s
  EXPECT_EQ(int_attr(*stage(up, "latency_upstream"), "latency"), 420);
  // The snapshot role was not configured: clean.
  EXPECT_TRUE(s.link("snapshot:hub-1")->stages.empty());
}

TEST(ScenarioLoader, LossyProfileOnUdpLinksUsesNetemStages) {
  const Scenario s = load(R"(name: u
duration: 10s
fleet:
  accounts: 1
  camera: {transport: udp}
links:
  uplink: {profile: lossy-lte}
  live: {profile: lossy-lte}
)");
  const Link& up = *s.link("uplink:cam-1");
  ASSERT_EQ(up.transport, impair::Transport::datagram);
  ASSERT_NE(stage(up, "loss_upstream"), nullptr);
  EXPECT_DOUBLE_EQ(number_attr(*stage(up, "loss_upstream"), "probability"), 5.0);
  EXPECT_DOUBLE_EQ(number_attr(*stage(up, "delay_upstream"), "delay"), 35.0);
  EXPECT_DOUBLE_EQ(number_attr(*stage(up, "rate_upstream"), "rate"), 12000.0);  // kbit/s
  // The hub plays over TCP: the same profile gives Toxiproxy stages and no loss.
  const Link& live = *s.link("live:hub-1");
  EXPECT_EQ(stage(live, "loss_downstream"), nullptr);
  EXPECT_EQ(int_attr(*stage(live, "latency_downstream"), "latency"), 35);
}

TEST(ScenarioLoader, EveryProfileCompilesOnBothTransports) {
  for (const auto& p : builtin_profiles()) {
    SCOPED_TRACE(p.name);
    EXPECT_FALSE(p.source.empty());
    const Scenario s = load(R"(name: p
duration: 10s
fleet:
  accounts: 1
  camera: {transport: udp}
links:
  uplink: {profile: )" + p.name +
                            R"(}
  live: {profile: )" + p.name +
                            "}\n");
    EXPECT_FALSE(s.link("uplink:cam-1")->stages.empty());
    EXPECT_FALSE(s.link("live:hub-1")->stages.empty());
  }
}

TEST(ScenarioLoader, OverridesApplyToSelectedDevicesAndTheLastOneWins) {
  const Scenario s = load(R"(name: o
duration: 10s
fleet:
  accounts: 3
links:
  live: {latency: 10ms}
  overrides:
    - select: {accounts: [user-2, user-3]}
      live: {latency: 20ms}
      uplink: {profile: 3g}
    - select: {hubs: ["hub-3"]}
      live: {latency: 30ms}
)");
  auto latency = [&](const char* link) {
    return int_attr(*stage(*s.link(link), "latency_downstream"), "latency");
  };
  EXPECT_EQ(latency("live:hub-1"), 10);
  EXPECT_EQ(latency("live:hub-2"), 20);
  EXPECT_EQ(latency("live:hub-3"), 30);
  EXPECT_TRUE(s.link("uplink:cam-1")->stages.empty());
  EXPECT_EQ(s.link("uplink:cam-2")->profile, "3g");
}

TEST(ScenarioLoader, SharesFromTheSectionAndTheTimelineBecomeIntervals) {
  const Scenario s = load(minimal(R"(shares:
  - {camera: cam-1, with: user-2, from: 5s}
timeline:
  - at: 20s
    revoke: {camera: cam-1, from: user-2}
  - at: 30s
    share: {camera: cam-2, with: user-1}
  - at: 40s
    share: {camera: cam-1, with: user-2}
)"));
  ASSERT_EQ(s.shares.size(), 3u);
  EXPECT_EQ(s.shares[0].camera, "cam-1");
  EXPECT_EQ(s.shares[0].from, 5s);
  EXPECT_EQ(s.shares[0].until, 20s);
  EXPECT_EQ(s.shares[1].camera, "cam-2");
  EXPECT_FALSE(s.shares[1].until);
  EXPECT_EQ(s.shares[2].from, 40s);
  EXPECT_FALSE(s.visible("user-2", "cam-1", 4s));
  EXPECT_TRUE(s.visible("user-2", "cam-1", 5s));
  EXPECT_TRUE(s.visible("user-2", "cam-1", 19'999ms));
  EXPECT_FALSE(s.visible("user-2", "cam-1", 20s));
  EXPECT_TRUE(s.visible("user-2", "cam-1", 45s));
  EXPECT_TRUE(s.visible("user-1", "cam-1", 0s));  // owner
  EXPECT_FALSE(s.visible("user-1", "cam-2", 29s));
  EXPECT_EQ(s.visible_cameras("user-2", 10s), (std::vector<std::string>{"cam-1", "cam-2"}));
  EXPECT_EQ(s.visible_cameras("user-2", 25s), (std::vector<std::string>{"cam-2"}));
}

TEST(ScenarioLoader, PhasesTileTheRunAndTakePerPhaseLimits) {
  const Scenario s = load(minimal(R"(timeline:
  - {at: 10s, phase: fault}
  - {at: 40s, phase: recovery}
checks:
  max_stall: 2s
  min_delivered_ratio: 95%
  phases:
    fault: {max_stall: 30s, min_delivered_ratio: 0.5, probes_refused: false}
    recovery: {max_recovery: 10s}
)"));
  ASSERT_EQ(s.phases.size(), 3u);
  EXPECT_EQ(s.phases[0].name, "baseline");
  EXPECT_EQ(s.phases[0].end, 10s);
  EXPECT_EQ(s.phases[1].name, "fault");
  EXPECT_EQ(s.phases[1].start, 10s);
  EXPECT_EQ(s.phases[1].end, 40s);
  EXPECT_EQ(s.phases[2].end, 60s);
  EXPECT_EQ(s.phases[0].limits.max_stall, 2s);
  EXPECT_EQ(s.phases[1].limits.max_stall, 30s);
  EXPECT_DOUBLE_EQ(*s.phases[1].limits.min_delivered_ratio, 0.5);
  EXPECT_FALSE(s.phases[1].limits.probes_refused);
  EXPECT_EQ(s.phases[2].limits.max_stall, 2s);
  EXPECT_EQ(s.phases[2].limits.max_recovery, 10s);
  EXPECT_DOUBLE_EQ(*s.phases[2].limits.min_delivered_ratio, 0.95);
}

TEST(ScenarioLoader, ExternalSut) {
  const Scenario s = load(R"(name: e
duration: 10s
sut:
  kind: external
  rtsp_url: rtsp://127.0.0.1:8554
  http_url: http://127.0.0.1:8080
  admin_url: http://127.0.0.1:8081
  start: ./relay --port 8554
  ready: {url: http://127.0.0.1:8081/health, timeout: 15s}
  restart: ./relay-restart
fleet:
  accounts: 1
timeline:
  - {at: 5s, sut: restart}
)");
  EXPECT_EQ(s.sut.kind, Sut::Kind::external);
  EXPECT_EQ(s.sut.external.admin_url, "http://127.0.0.1:8081");
  ASSERT_TRUE(s.sut.external.ready);
  EXPECT_EQ(s.sut.external.ready->timeout, 15s);
  EXPECT_TRUE(s.sut.can_restart());
  ASSERT_EQ(s.timeline.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<SutRestartAction>(s.timeline[0].body));
}

TEST(ScenarioLoader, BuiltinSutOptions) {
  const Scenario s = load(minimal(R"(sut:
  kind: builtin
  defects: [storm-mapping-mixup, weak-signal-cache]
  snapshot_cache_ttl: 500ms
  revoke_enforcement_interval: 250ms
  session_timeout: 1m
)"));
  EXPECT_EQ(s.sut.builtin.defects,
            (std::vector<Defect>{Defect::storm_mapping_mixup, Defect::weak_signal_cache}));
  EXPECT_EQ(s.sut.builtin.snapshot_cache_ttl, 500ms);
  EXPECT_EQ(s.sut.builtin.revoke_enforcement_interval, 250ms);
  EXPECT_EQ(s.sut.builtin.session_timeout, 60s);
}

TEST(ScenarioLoader, TimelineEntriesGetStableIds) {
  const Scenario s = load(minimal(R"(timeline:
  - {at: 10s, partition: {link: live, for: 1s}}
  - {at: 5s, id: first-cut, partition: {link: live, for: 1s}}
  - {at: 10s, partition: {link: live, for: 1s}}
)"));
  ASSERT_EQ(s.timeline.size(), 3u);
  EXPECT_EQ(s.timeline[0].id, "first-cut");  // sorted by time
  EXPECT_EQ(s.timeline[1].id, "partition@10s");
  EXPECT_EQ(s.timeline[2].id, "partition@10s#2");
  EXPECT_EQ(s.timeline[1].line, 6);  // `name`, `duration`, `fleet`, `accounts`, `timeline`
}

}  // namespace
}  // namespace camleak::scenario
