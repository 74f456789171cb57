#pragma once
// Helpers shared by the scenario and schedule tests.
#include <fstream>
#include <sstream>
#include <string>

#include "harness/core/errors.hpp"
#include "harness/scenario/loader.hpp"

namespace camleak::scenario::testing {

inline std::string source_path(const std::string& relative) {
  return std::string(CAMLEAK_SOURCE_DIR) + "/" + relative;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline Scenario load(const std::string& yaml) {
  return load_scenario_text(yaml, "test.yaml");
}

// The InputError text a scenario produces ("" when it loads).
inline std::string errors_of(const std::string& yaml, const std::string& file = "test.yaml") {
  try {
    load_scenario_text(yaml, file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// A minimal valid scenario: two accounts with one camera and one hub each, plus `extra` lines.
inline std::string minimal(const std::string& extra = "", const std::string& duration = "60s") {
  return "name: t\nduration: " + duration + "\nfleet:\n  accounts: 2\n" + extra;
}

}  // namespace camleak::scenario::testing
