// The validate, list, explain and run subcommands, run as a user runs them.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/unit/scenario/test_util.hpp"

namespace camleak::scenario {
namespace {

using testing::read_text;
using testing::source_path;

struct CliResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

std::string camleak_binary() {
  return CAMLEAK_BINARY_DIR "/harness/cli/camleak";  // one literal: GCC 12 -O2 warns falsely on +
}

CliResult run(const std::string& args) {
  CliResult r;
  const std::string command = "cd '" + std::string(CAMLEAK_SOURCE_DIR) + "' && '" +
                              camleak_binary() + "' " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(camleak_binary())) {
      GTEST_SKIP() << "the camleak binary is not built (" << camleak_binary() << ")";
    }
  }
};

TEST_F(CliTest, ValidateAcceptsGoodFilesWithExitZero) {
  const CliResult r =
      run("validate scenarios/smoke.yaml scenarios/examples/storm-after-outage.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("scenarios/smoke.yaml: ok (smoke: 2 accounts, 2 cameras, 2 hubs"),
            std::string::npos)
      << r.output;
}

TEST_F(CliTest, ValidateListsEveryProblemAndExitsTwo) {
  const CliResult r =
      run("validate scenarios/smoke.yaml tests/data/scenarios/broken/unknown_names.yaml");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  // The golden text, with the path as given on the command line.
  std::string golden =
      read_text(CAMLEAK_SOURCE_DIR "/tests/data/scenarios/broken/unknown_names.err");
  size_t at = 0;
  while ((at = golden.find("unknown_names.yaml:", at)) != std::string::npos) {
    golden.insert(at, "tests/data/scenarios/broken/");
    at += std::string("tests/data/scenarios/broken/unknown_names.yaml:").size();
  }
  EXPECT_NE(r.output.find(golden), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unknown_names.yaml: 8 problems"), std::string::npos) << r.output;
}

// A duration past the int64 microsecond range used to validate (exit 0) with a wrapped value.
TEST_F(CliTest, ValidateRefusesNumbersPastTheirRangeWithExitTwo) {
  const CliResult r = run("validate tests/data/scenarios/broken/out_of_range.yaml");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("tests/data/scenarios/broken/out_of_range.yaml:3:11: duration: "
                          "\"9999999999999h\" is out of range"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("-9"), std::string::npos) << "a wrapped value is printed:\n" << r.output;
}

TEST_F(CliTest, ListShowsNameAndDescriptionRecursively) {
  const CliResult r = run("list scenarios/examples");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("storm-after-outage: Hubs reconnect in a storm after an outage"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(run("list /nonexistent-dir").exit_code, 2);
}

TEST_F(CliTest, ExplainIsReproducibleAndTheSeedMatters) {
  const CliResult a = run("explain scenarios/examples/storm-after-outage.yaml --seed 5");
  const CliResult b = run("explain scenarios/examples/storm-after-outage.yaml --seed 5");
  const CliResult c = run("explain scenarios/examples/storm-after-outage.yaml --seed 6");
  EXPECT_EQ(a.exit_code, 0) << a.output;
  EXPECT_EQ(a.output, b.output);
  EXPECT_NE(a.output, c.output);
  EXPECT_NE(a.output.find("schedule (seed 5, from --seed):"), std::string::npos);
  EXPECT_NE(a.output.find(" drop "), std::string::npos);
  EXPECT_NE(a.output.find(" redial "), std::string::npos);
  EXPECT_EQ(run("explain tests/data/scenarios/broken/leaks_nonzero.yaml").exit_code, 2);
}

TEST_F(CliTest, RunWithoutASeedDrawsOnePrintsItAndPutsItInTheRepro) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("camleak-cli-seed-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "unseeded.yaml";
  {
    std::ofstream out(file);
    out << "name: unseeded\ndescription: no seed anywhere\nduration: 1s\n"
           "fleet:\n  accounts: 1\n  camera: {resolution: 320x240, fps: 5, gop: 5}\n"
           "  hub: {snapshot_interval: 0s, probe: {interval: 0s}}\n"
           // A second is too short to judge liveness; this test is about the seed.
           "checks: {liveness: off}\n";
  }
  // The digits right after `marker` in `text` ("" when the marker is absent).
  const auto number_after = [](const std::string& text, const std::string& marker) {
    const auto at = text.find(marker);
    if (at == std::string::npos) return std::string();
    size_t end = at + marker.size();
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    return text.substr(at + marker.size(), end - at - marker.size());
  };
  const auto seed_of = [&](const CliResult& r) {
    const std::string printed = number_after(r.output, "== unseeded (seed ");
    const std::string replay = number_after(r.output, "unseeded.yaml --seed ");
    EXPECT_FALSE(printed.empty()) << r.output;
    EXPECT_EQ(printed, replay) << "the repro line must replay the drawn seed\n" << r.output;
    return printed;
  };
  const CliResult first = run("run --no-report " + file.string());
  const CliResult second = run("run --no-report " + file.string());
  std::filesystem::remove_all(dir);
  EXPECT_EQ(first.exit_code, 0) << first.output;
  EXPECT_EQ(second.exit_code, 0) << second.output;
  const std::string a = seed_of(first), b = seed_of(second);
  EXPECT_FALSE(a.empty());
  EXPECT_NE(a, b);  // drawn afresh each run (equal with chance 1e-9)
}

}  // namespace
}  // namespace camleak::scenario
