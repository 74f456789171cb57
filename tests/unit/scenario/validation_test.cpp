// Validation: golden error messages for broken files, did-you-mean, all errors listed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "tests/unit/scenario/test_util.hpp"

namespace camleak::scenario {
namespace {

using testing::errors_of;
using testing::minimal;
using testing::read_text;
using testing::source_path;

// Every tests/data/scenarios/broken/X.yaml must fail with exactly the text in X.err.
// Set CAMLEAK_UPDATE_GOLDEN=1 to rewrite the .err files after a deliberate message change.
TEST(ScenarioValidation, BrokenFilesGiveTheGoldenErrors) {
  namespace fs = std::filesystem;
  const fs::path dir = source_path("tests/data/scenarios/broken");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 10u);
  const bool update = std::getenv("CAMLEAK_UPDATE_GOLDEN") != nullptr;
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string actual = errors_of(read_text(file.string()), file.filename().string());
    ASSERT_FALSE(actual.empty()) << "loaded without errors";
    fs::path golden = file;
    golden.replace_extension(".err");
    if (update) {
      std::ofstream(golden) << actual << "\n";
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << "missing " << golden;
    EXPECT_EQ(actual + "\n", read_text(golden.string()));
  }
}

TEST(ScenarioValidation, EveryErrorIsListedNotJustTheFirst) {
  const std::string yaml = R"(name: many
duration: 30s
fleet:
  accounts: 2
  camera: {fps: 0, gop: 0}
links:
  live: {latency: soon}
checks:
  leaks: 1
  freshness: never
)";
  try {
    load_scenario_text(yaml, "many.yaml");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 5u) << e.what();
    std::set<std::string> fields;
    for (const auto& d : e.diagnostics()) {
      EXPECT_EQ(d.file, "many.yaml");
      EXPECT_GT(d.line, 0);
      EXPECT_GT(d.column, 0);
      fields.insert(d.field);
    }
    EXPECT_EQ(fields,
              (std::set<std::string>{"fleet.camera.fps", "fleet.camera.gop", "links.live.latency",
                                     "checks.leaks", "checks.freshness"}));
    // Ordered by position in the file.
    for (size_t i = 1; i < e.diagnostics().size(); ++i) {
      EXPECT_LE(e.diagnostics()[i - 1].line, e.diagnostics()[i].line);
    }
  }
}

TEST(ScenarioValidation, UnknownKeysGetSuggestionsAtTheirPosition) {
  const auto text = errors_of(minimal("  hubs_per_acount: 2\n"));
  EXPECT_EQ(text,
            "test.yaml:5:3: fleet.hubs_per_acount: unknown key `hubs_per_acount` (did you mean "
            "`hubs_per_account`?)");
  // A key nothing like any known key gets no suggestion.
  EXPECT_EQ(errors_of(minimal("zebra: 1\n")), "test.yaml:5:1: zebra: unknown key `zebra`");
}

TEST(ScenarioValidation, StageAttributeErrorsComeFromTheRegistryWithPositions) {
  const auto text = errors_of(minimal(R"(links:
  live:
    stages:
      - {type: latency, latency: -5}
      - {type: bandwidth, rat: 100}
)"));
  EXPECT_NE(text.find("test.yaml:8:34: links.live.stages[0].latency: must be at least 0"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("test.yaml:9:27: links.live.stages[1].rat: unknown attribute of stage "
                      "type `bandwidth` (did you mean `rate`?)"),
            std::string::npos)
      << text;
}

TEST(ScenarioValidation, LeaksCanOnlyBeZero) {
  EXPECT_EQ(errors_of(minimal("checks:\n  leaks: 0\n")), "");
  for (const char* bad : {"1", "off", "false", "0.5", "[0]"}) {
    const auto text = errors_of(minimal(std::string("checks:\n  leaks: ") + bad + "\n"));
    EXPECT_NE(text.find("checks.leaks: leaks must be 0"), std::string::npos) << bad << ": " << text;
  }
}

TEST(ScenarioValidation, DuplicateStageNamesOnALinkAreRejected) {
  const auto text = errors_of(minimal(R"(links:
  live:
    stages:
      - {type: latency, latency: 10}
      - {type: latency, latency: 20}
)"));
  EXPECT_NE(text.find("a stage named \"latency_downstream\" is already on this link"),
            std::string::npos)
      << text;
}

TEST(ScenarioValidation, FractionsAreNotAllowedWhereTheSeedIsNotKnown) {
  const auto text = errors_of(minimal(R"(links:
  overrides:
    - select: {fraction: 50%}
      live: {latency: 10ms}
)"));
  EXPECT_NE(text.find("links.overrides[0].select.fraction: a fraction is chosen with the run's "
                      "seed"),
            std::string::npos)
      << text;
}

TEST(ScenarioValidation, SharesCannotOverlap) {
  const auto text = errors_of(minimal(R"(shares:
  - {camera: cam-1, with: user-2, from: 0s, until: 30s}
timeline:
  - at: 10s
    share: {camera: cam-1, with: user-2}
)"));
  EXPECT_NE(text.find("timeline[0].share: camera \"cam-1\" is already shared with \"user-2\" at "
                      "10s (by shares[0])"),
            std::string::npos)
      << text;
}

TEST(ScenarioValidation, LossOnTcpOnlyLinksIsPointedOut) {
  EXPECT_NE(errors_of(minimal("links:\n  live: {loss: 5%}\n"))
                .find("links.live: `loss` applies to UDP links only, and every live link here "
                      "carries TCP"),
            std::string::npos);
  EXPECT_NE(errors_of(minimal("timeline:\n  - {at: 1s, set: {link: live, loss: 5%}}\n"))
                .find("timeline[0].set: `loss` applies to UDP links only"),
            std::string::npos);
  // A profile's loss is simply not applied on TCP links: no error.
  EXPECT_EQ(errors_of(minimal("links:\n  live: {profile: lossy-lte}\n")), "");
  // On UDP links it is what the knob is for.
  EXPECT_EQ(errors_of(minimal("  hub: {transport: udp}\nlinks:\n  live: {loss: 5%}\n")), "");
}

TEST(ScenarioValidation, OneDocumentPerFile) {
  EXPECT_EQ(errors_of(minimal() + "---\n"), "");  // a trailing separator is harmless
  EXPECT_EQ(errors_of(minimal() + "---\nname: second\n"),
            "test.yaml:6:1: a scenario file holds one YAML document; this is another one (after "
            "`---`)");
}

// An action whose end lies past the int64 microsecond range used to wrap to a negative end
// and pass the "ends after the scenario's duration" check; such lengths are now refused, and the
// longest accepted ones add up without wrapping.
TEST(ScenarioValidation, AnEndPastTheLongestDurationIsStillAfterTheScenario) {
  auto text = errors_of(minimal(
      "timeline:\n  - {at: 60000s, partition: {link: live, for: 2562047788h}}\n", "100000s"));
  EXPECT_NE(text.find("test.yaml:6:47: timeline[0].partition.for: \"2562047788h\" is out of range"),
            std::string::npos)
      << text;
  text = errors_of(
      minimal("timeline:\n  - {at: 60000s, partition: {link: live, for: 87600h}}\n", "100000s"));
  EXPECT_NE(text.find("test.yaml:6:47: timeline[0].partition.for: ends at"), std::string::npos)
      << text;
  EXPECT_NE(text.find("after the scenario's duration (100000s)"), std::string::npos) << text;
}

// A 30 MB value is echoed as its first 80 bytes and its length, wherever the message names it.
TEST(ScenarioValidation, HugeValuesAreClippedInMessages) {
  const std::string huge(30'000'000, 'z');
  const auto text = errors_of(
      minimal("timeline:\n  - {at: 1s, storm: {devices: hubs, mode: " + huge + ", down: 1s}}\n"));
  EXPECT_LT(text.size(), 400u) << text.substr(0, 400);
  EXPECT_NE(
      text.find("test.yaml:6:43: timeline[0].storm.mode: unknown value \"" + std::string(80, 'z') +
                "… (30000000 bytes)\"; expected one of all-at-once, spread"),
      std::string::npos)
      << text.substr(0, 400);
  // An implicit YAML key is at most 1024 characters: a longer one is written as `? key`.
  // (1 MB here: yaml-cpp takes seconds to scan 30 MB, once is enough.)
  const auto key = errors_of(minimal("? " + std::string(1'000'000, 'z') + "\n: 1\n"));
  EXPECT_LT(key.size(), 400u) << key.substr(0, 400);
  EXPECT_NE(key.find("unknown key `" + std::string(80, 'z') + "… (1000000 bytes)`"),
            std::string::npos)
      << key.substr(0, 400);
}

TEST(ScenarioValidation, UnreadableFileIsAnInputError) {
  try {
    load_scenario_file("/nonexistent/scenario.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/scenario.yaml: cannot open the file");
  }
}

}  // namespace
}  // namespace camleak::scenario
