#include "reports/record_builder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace camleak::reports {
namespace {

using ::testing::ElementsAre;

TEST(RecordBuilderTest, CountsFaultEventsPerLinkDirectionStageAndAction) {
  const std::vector<FaultEvent> events = {{.time = 1s,
                                           .link = "uplink",
                                           .direction = "upstream",
                                           .stage = "loss",
                                           .action = "drop",
                                           .bytes = 100},
                                          {.time = 2s,
                                           .link = "uplink",
                                           .direction = "upstream",
                                           .stage = "loss",
                                           .action = "drop",
                                           .bytes = 50},
                                          {.time = 3s,
                                           .link = "downlink",
                                           .direction = "downstream",
                                           .stage = "latency",
                                           .action = "delay"},
                                          {.time = 4s,
                                           .link = "uplink",
                                           .direction = "downstream",
                                           .stage = "loss",
                                           .action = "drop",
                                           .bytes = 7}};
  const auto counters = count_fault_events(events);
  ASSERT_EQ(counters.size(), 3u);
  EXPECT_EQ(counters[0].link, "uplink");
  EXPECT_EQ(counters[0].direction, "upstream");
  EXPECT_EQ(counters[0].count, 2u);
  EXPECT_EQ(counters[0].bytes, 150u);
  EXPECT_EQ(counters[1].stage, "latency");
  EXPECT_EQ(counters[2].direction, "downstream");
  EXPECT_EQ(counters[2].bytes, 7u);
}

TEST(RecordBuilderTest, ActiveFaultsAreTheWindowsCoveringTheTime) {
  const std::vector<oracle::FaultWindow> faults = {
      {.name = "partition uplink", .link = "uplink", .start = 5s, .end = 8s},
      {.name = "loss 5%", .link = "downlink", .start = 6s, .end = 20s},
      {.name = "sut restart", .start = 7s, .end = 9s}};
  EXPECT_TRUE(active_faults_at(faults, 4s).empty());
  EXPECT_THAT(active_faults_at(faults, 7500ms),
              ElementsAre("partition uplink", "loss 5% (downlink)", "sut restart"));
  EXPECT_THAT(active_faults_at(faults, 8s), ElementsAre("loss 5% (downlink)", "sut restart"));

  RunRecord record;
  record.faults = faults;
  Evidence e;
  e.finding.observation.received_at = 5s;
  record.evidence.push_back(e);
  e.active_faults = {"already known"};
  record.evidence.push_back(e);
  fill_active_faults(record);
  EXPECT_THAT(record.evidence[0].active_faults, ElementsAre("partition uplink"));
  EXPECT_THAT(record.evidence[1].active_faults, ElementsAre("already known"));
}

}  // namespace
}  // namespace camleak::reports
