#pragma once
// Everything one run produced, as plain data: the single input of every report writer.
#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/event_log.hpp"
#include "harness/oracle/checks.hpp"
#include "harness/oracle/results.hpp"
#include "harness/oracle/verdict.hpp"

namespace camleak::reports {

inline constexpr std::string_view kReportSchema = "camleak.report/1";

// One line of the resolved schedule: "at 12s: partition uplink for 5s".
struct ScheduleEntry {
  Micros time{0};
  std::string text;
};

// How often one stage of one link did one thing (Envoy-style fault counters).
struct FaultCounter {
  std::string link;
  std::string direction;  // "upstream", "downstream" or ""
  std::string stage;
  std::string action;  // "drop", "delay", "reset", ...
  uint64_t count = 0;
  uint64_t bytes = 0;
};

// A non-OK verdict with everything that proves it. Paths are relative to the report directory
// (evidence/<id>.png, evidence/<id>-<link>.pcap); the files are written by others.
struct Evidence {
  std::string id;
  oracle::Finding finding;
  std::string png_path;                    // "" when no picture could be saved
  std::vector<std::string> pcap_paths;     // "" entries are not allowed
  std::vector<std::string> active_faults;  // link faults active at delivery, e.g. "uplink: loss 5%"
};

// A total over the fleet's devices of one kind ("hubs", "cameras"): what the emulators counted,
// e.g. frames a hub had to drop because its decode queue was full (delivered, never judged).
struct FleetCount {
  std::string devices;
  std::string name;
  uint64_t value = 0;
};

struct RunRecord {
  std::string scenario_name;
  std::string scenario_description;
  std::string scenario_file;
  uint64_t seed = 0;
  std::chrono::system_clock::time_point started{};
  std::chrono::system_clock::time_point finished{};
  Micros duration{0};  // run clock length
  int exit_code = 0;

  std::vector<ScheduleEntry> schedule;
  std::vector<oracle::Phase> phases;
  std::vector<oracle::FaultWindow> faults;
  std::vector<FaultCounter> fault_counters;
  std::vector<FaultEvent> fault_events;
  uint64_t fault_events_dropped = 0;

  std::array<uint64_t, oracle::kVerdictKinds> verdict_counts{};  // indexed by VerdictKind
  std::vector<Evidence> evidence;  // every non-OK verdict the oracle kept
  uint64_t evidence_dropped = 0;   // non-OK verdicts past the oracle's cap
  std::vector<oracle::PhaseVerdicts> phase_verdicts;
  std::vector<oracle::StreamPhaseMetrics> metrics;
  std::vector<oracle::Recovery> recoveries;
  std::vector<oracle::ProbeStats> probes;
  std::vector<oracle::OperationCounts> operations;
  std::vector<oracle::CheckResult> checks;
  Micros rate_bucket = std::chrono::seconds(1);
  std::vector<oracle::HubRateSeries> frame_rates;

  std::string repro_command;
  std::vector<FleetCount> fleet_counters;
  std::vector<std::string> harness_errors;

  uint64_t count(oracle::VerdictKind kind) const {
    return verdict_counts[static_cast<size_t>(kind)];
  }
};

// "PASS", "FAIL" (a check failed) or "ERROR" (bad input or the harness failed).
std::string_view outcome(const RunRecord& record);

// Copies the oracle's conclusions into the record; each finding becomes an Evidence with id
// "<n>-<verdict>" (e.g. "0003-leak") and no files yet: the run loop fills in the paths.
void add_oracle_results(RunRecord& record, const oracle::Results& results);

}  // namespace camleak::reports
