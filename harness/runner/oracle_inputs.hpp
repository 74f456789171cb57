#pragma once
// Translates a scenario and its resolved schedule into what the oracle judges against. Ground
// truth comes only from here (the scenario), never from anything the SUT answered.
#include <vector>

#include "harness/oracle/checks.hpp"
#include "harness/oracle/ground_truth.hpp"
#include "harness/scenario/scenario.hpp"
#include "harness/schedule/timeline.hpp"

namespace camleak::runner {

struct OracleInputs {
  oracle::GroundTruth truth;
  std::vector<oracle::Phase> phases;
  std::vector<oracle::FaultWindow> faults;
  oracle::Checks checks;
};

OracleInputs make_oracle_inputs(const scenario::Scenario& scenario,
                                const schedule::Timeline& timeline);

// Fault windows of the resolved schedule: partitions, timed stage sets, storms, SUT restarts.
// A fault that is never ended by the schedule lasts until the end of the run.
std::vector<oracle::FaultWindow> fault_windows(const schedule::Timeline& timeline);

}  // namespace camleak::runner
