// The certification plan and DUT readers, a test's outcome from its seeds, and the record's
// formats agreeing on one outcome.
#include "harness/certify/plan.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "harness/certify/certification_report.hpp"
#include "harness/certify/dut.hpp"
#include "harness/core/errors.hpp"
#include "harness/scenario/loader.hpp"
#include "tests/support/temp_dir.hpp"

namespace camleak::certify {
namespace {

using camleak::testing::TempDir;

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string errors_of(const std::function<void()>& load) {
  try {
    load();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Plan, TheShippedPlanLoadsWithStableIdsAndItsSources) {
  const Plan plan = load_plan(CAMLEAK_SOURCE_DIR "/scenarios/certification");
  EXPECT_EQ(plan.name, "camleak-certification");
  EXPECT_FALSE(plan.version.empty());
  ASSERT_GE(plan.tests.size(), 9u);
  EXPECT_EQ(plan.tests[0].id, "CL-ISO-001");
  EXPECT_EQ(plan.sources.size(), 2u);
  EXPECT_FALSE(plan.not_covered.empty());
  for (const auto& t : plan.tests) {
    SCOPED_TRACE(t.id);
    EXPECT_GE(t.seeds.size(), 3u);  // several seeds per test
    EXPECT_NO_THROW(scenario::load_scenario_file(t.scenario));
  }
}

TEST(Plan, EveryProblemIsNamedAtItsPlace) {
  TempDir dir;
  write(dir / "s.yaml", "name: s\n");
  write(dir / "plan.yaml", R"(plan: p
version: 1
tests:
  - {id: ISO-1, title: t, purpose: p, scenario: s.yaml, seeds: [1], pass: x}
  - {id: CL-ISO-002, title: t, purpose: p, scenario: missing.yaml, seeds: [1, 1], pass: x}
  - {id: CL-ISO-002, title: t, purpose: p, scenario: s.yaml, seeds: [], pass: x, extra: 1}
)");
  const std::string e = errors_of([&] { load_plan(dir.path().string()); });
  for (const char* expected :
       {"plan.yaml:4:10: tests[0].id: a test ID is CL-AREA-NNN",
        "tests[1].scenario: no such scenario file", "tests[1].seeds[1]: seed 1 is listed twice",
        "tests[2].id: test ID CL-ISO-002 is used twice", "tests[2].seeds: give at least one seed",
        "tests[2].extra"}) {
    EXPECT_NE(e.find(expected), std::string::npos) << expected << "\n" << e;
  }
}

TEST(Dut, ADeclarationNamesTheProductItsCapabilitiesAndHowToReachIt) {
  const Dut dut = load_dut(CAMLEAK_SOURCE_DIR "/scenarios/certification/dut-reference-cloud.yaml");
  EXPECT_EQ(dut.vendor, "camleak");
  EXPECT_EQ(dut.sut.adapter.name, "reference-cloud");
  EXPECT_TRUE(dut.capabilities.contains("share"));
  TempDir dir;
  write(dir / "dut.yaml",
        "dut: {vendor: v, product: p, version: '1'}\ncapabilities: [tcp, sharing]\n"
        "sut: {kind: external}\n");
  const std::string e = errors_of([&] { load_dut((dir / "dut.yaml").string()); });
  EXPECT_NE(e.find("dut.contact: missing required key"), std::string::npos) << e;
  EXPECT_NE(e.find("capabilities[1]: unknown value \"sharing\""), std::string::npos) << e;
  EXPECT_NE(e.find("sut.rtsp_url"), std::string::npos) << e;
}

TEST(Dut, ATestNeedingAnUndeclaredCapabilityIsNotApplicable) {
  Dut dut = load_dut(CAMLEAK_SOURCE_DIR "/scenarios/certification/dut-reference.yaml");
  scenario::Scenario s = scenario::load_scenario_file(
      CAMLEAK_SOURCE_DIR "/scenarios/suite/share-revoke-under-load.yaml");
  s.sut = dut.sut;
  EXPECT_EQ(not_applicable(s, dut), "");
  dut.capabilities.erase("share");
  EXPECT_EQ(not_applicable(s, dut), "needs share, which the DUT does not declare");
}

SeedRun seed(uint64_t n, int exit_code) {
  return SeedRun{.seed = n,
                 .exit_code = exit_code,
                 .verdict = exit_code == 0   ? "PASS"
                            : exit_code == 1 ? "FAIL"
                                             : "ERROR",
                 .report_dir = "tests/X/seed-" + std::to_string(n),
                 .problems = exit_code ? std::vector<std::string>{"no_leaks [run]: 3 LEAK"}
                                       : std::vector<std::string>{},
                 .figures = {}};
}

TEST(Certification, ATestPassesOnlyWhenEverySeedDoes) {
  EXPECT_EQ(test_status({seed(1, 0), seed(2, 0)}), "pass");
  EXPECT_EQ(test_status({seed(1, 0), seed(2, 1)}), "fail");
  EXPECT_EQ(test_status({seed(1, 1), seed(2, 3)}), "error");
}

TEST(Certification, ASeedSurvivesTheProgressFile) {
  SeedRun s = seed(7, 1);
  s.figures.leaks = 3;
  s.figures.worst_first_frame_ms = 812.5;
  const SeedRun back = seed_run_from_json(boost::json::parse(boost::json::serialize(to_json(s))));
  EXPECT_EQ(back.seed, 7u);
  EXPECT_EQ(back.exit_code, 1);
  EXPECT_EQ(back.problems, s.problems);
  EXPECT_EQ(back.figures.leaks, 3u);
  EXPECT_EQ(back.figures.worst_first_frame_ms, 812.5);
  EXPECT_FALSE(back.figures.worst_stall_ms);
}

TEST(Certification, TheRecordsFormatsTellOneOutcome) {
  CertificationRecord r;
  r.plan.name = "p";
  r.plan.version = "1";
  r.exit_code = 1;
  r.tests.push_back(
      {.test = {.id = "CL-A-001", .title = "a"}, .status = "fail", .seeds = {seed(1, 1)}});
  r.tests.push_back(
      {.test = {.id = "CL-A-002", .title = "b"}, .status = "pass", .seeds = {seed(1, 0)}});
  r.tests.push_back({.test = {.id = "CL-A-003", .title = "c"},
                     .status = "not_applicable",
                     .reason = "needs udp, which the DUT does not declare"});
  EXPECT_EQ(certification_outcome(r), "FAIL");
  const auto json = certification_json(r).as_object();
  EXPECT_EQ(json.at("outcome").as_string(), "FAIL");
  EXPECT_EQ(json.at("exit_code").as_int64(), 1);
  EXPECT_EQ(json.at("not_covered").as_array().size(), 1u);
  const std::string junit = certification_junit(r);
  EXPECT_NE(junit.find("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""), std::string::npos)
      << junit;
  EXPECT_NE(junit.find("seed 1: no_leaks [run]: 3 LEAK"), std::string::npos);
  EXPECT_NE(certification_html(r).find("Certification: <span class=\"fail\">FAIL"),
            std::string::npos);
}

}  // namespace
}  // namespace camleak::certify
