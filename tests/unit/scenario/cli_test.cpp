// The validate, list and explain subcommands, run as a user runs them.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

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
  return std::string(CAMLEAK_BINARY_DIR) + "/harness/cli/camleak";
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
  std::string golden = read_text(source_path("tests/data/scenarios/broken/unknown_names.err"));
  size_t at = 0;
  while ((at = golden.find("unknown_names.yaml:", at)) != std::string::npos) {
    golden.insert(at, "tests/data/scenarios/broken/");
    at += std::string("tests/data/scenarios/broken/unknown_names.yaml:").size();
  }
  EXPECT_NE(r.output.find(golden), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unknown_names.yaml: 8 problems"), std::string::npos) << r.output;
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

}  // namespace
}  // namespace camleak::scenario
