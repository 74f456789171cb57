#pragma once
// Helpers for the run loop when it assembles a RunRecord from what the run produced.
#include <string>
#include <vector>

#include "harness/core/event_log.hpp"
#include "harness/oracle/checks.hpp"
#include "reports/run_record.hpp"

namespace camleak::reports {

// Envoy-style counters from the fault/event log: one per (link, direction, stage, action), in
// first-seen order, with the number of events and the bytes they affected.
std::vector<FaultCounter> count_fault_events(const std::vector<FaultEvent>& events);

// The fault windows covering `t`, as "<name>" or "<name> (<link>)" when the name does not
// already mention the link.
std::vector<std::string> active_faults_at(const std::vector<oracle::FaultWindow>& faults, Micros t);

// Fills Evidence::active_faults from record.faults for every evidence that has none yet.
void fill_active_faults(RunRecord& record);

}  // namespace camleak::reports
