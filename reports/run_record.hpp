#pragma once
// Everything one run produced, as plain data: the single input of every report writer.
#include <array>
#include <chrono>
#include <cstdint>
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

// A pcap window of one link around a finding. Wireshark picks dissectors by port, and the SUT's
// ports are rarely 554 or 80, so the capture says what it carries and how to decode it.
struct Capture {
  std::string path;          // evidence/<id>-<link>.pcap, relative to the report directory
  std::string link;          // "live:hub-2", "live:hub-2/rtp/3"
  std::string protocol;      // "rtsp", "http", "rtp" or "rtcp"
  uint16_t server_port = 0;  // the SUT's port in the capture; 0 when not known
  std::string decode;        // e.g. "tshark -d tcp.port==41234,rtsp -r evidence/...pcap"
};

// `tshark ... -r PATH` that decodes a capture of `protocol` with the SUT on `server_port`: a
// "decode as" for TCP, the RTP/RTCP heuristics for UDP routes (their ports are per session).
std::string decode_command(std::string_view protocol, uint16_t server_port, std::string_view path);

// A non-OK verdict with everything that proves it. Paths are relative to the report directory
// (evidence/<id>.png, evidence/<id>-<link>.pcap); the files are written by others.
struct Evidence {
  std::string id;
  oracle::Finding finding;
  std::string png_path;  // "" when no picture could be saved
  std::vector<Capture> captures;
  std::vector<std::string> active_faults;  // link faults active at delivery, e.g. "uplink: loss 5%"
};

// A total over the fleet's devices of one kind ("hubs", "cameras"): what the emulators counted,
// e.g. frames a hub had to drop because its decode queue was full (delivered, never judged).
struct FleetCount {
  std::string devices;
  std::string name;
  uint64_t value = 0;
};

// One share or revoke the harness sent the SUT: what it was told and when (run clock).
struct SutCall {
  std::string action;  // "share cam-1 with home-2"
  Micros time{0};      // the scenario's time of the action
  Micros sent_at{0};
  Micros done_at{0};
  bool accepted = false;
  std::string error;  // why not, when not accepted
};

// A deviation of the SUT from RFC 2326/3550/6184 that the clients tolerated (as real clients
// do): reported, never a failure.
struct ConformanceNote {
  std::string text;
  uint64_t count = 0;
  std::string example;  // where it was first seen (a request URL)
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

  // The oracle's conclusions, whole: writers read them from here, so no copy can leave a field
  // out of the reports.
  oracle::Results results;
  std::vector<Evidence> evidence;  // one per results.findings entry, with its files

  std::string repro_command;
  std::vector<FleetCount> fleet_counters;
  std::vector<SutCall> sut_calls;
  std::vector<ConformanceNote> conformance;
  std::vector<std::string> notes;           // worth knowing, cannot change the verdict
  std::vector<std::string> harness_errors;  // any of these makes the run an ERROR (exit 3)

  uint64_t count(oracle::VerdictKind kind) const { return results.count(kind); }
};

// "PASS", "FAIL" (a check failed) or "ERROR" (bad input or the harness failed).
std::string_view outcome(const RunRecord& record);

// Moves the oracle's conclusions into the record; each finding becomes an Evidence with id
// "<n>-<verdict>" (e.g. "0003-leak") and no files yet: the run loop fills in the paths.
void add_oracle_results(RunRecord& record, oracle::Results results);

// The exit code the record's outcome stands for: 3 with a harness error, 1 with a failed check.
int exit_code_of(const RunRecord& record);

}  // namespace camleak::reports
