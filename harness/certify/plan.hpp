#pragma once
// A certification plan (scenarios/certification/plan.yaml): a versioned list of test cases with
// stable IDs, each a scenario run over several seeds, with its purpose and pass criteria in
// words, the published budgets it cites, and what the plan does not cover.
#include <cstdint>
#include <string>
#include <vector>

namespace camleak::certify {

struct PlanSource {
  std::string id;
  std::string title;
  std::string url;
};

struct PlanTest {
  std::string id;  // CL-AREA-NNN, unique
  std::string title;
  std::string purpose;
  std::string scenario;  // absolute path (written relative to the plan file)
  std::vector<uint64_t> seeds;
  std::string pass;  // the pass criteria in words
};

struct Plan {
  std::string name;
  std::string version;
  std::string description;
  std::string file;
  std::vector<PlanSource> sources;
  std::vector<PlanTest> tests;
  std::vector<std::string> not_covered;
};

// `path`: the plan file, or a directory holding plan.yaml. Throws InputError with every problem
// at file:line:col (a test ID that is not CL-AREA-NNN or is used twice, a scenario that does not
// exist, no seeds, ...). Scenario files are not loaded here.
Plan load_plan(const std::string& path);

}  // namespace camleak::certify
