#pragma once
// A RunRecord made the way the run loop makes one: by running the real oracle over a few
// observations (one leak among them) and copying its results.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "harness/oracle/oracle.hpp"
#include "reports/report_directory.hpp"
#include "reports/run_record.hpp"

namespace camleak::reports::test {

// A valid 1x1 PNG (one red pixel).
inline const unsigned char kTinyPngBytes[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99,
    0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
inline const std::string kTinyPng(reinterpret_cast<const char*>(kTinyPngBytes),
                                  sizeof kTinyPngBytes);

// A fresh directory removed again at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("camleak-reports-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline RunRecord sample_record(const std::filesystem::path& report_dir) {
  using namespace std::chrono_literals;
  oracle::GroundTruth truth;
  truth.accounts = {"alice", "bob"};
  truth.cameras = {{"cam-a", "alice", 1}, {"cam-b", "bob", 2}};
  truth.hubs = {{"hub-1", "alice"}};
  oracle::Checks checks{.phases = {{.phase = "storm", .max_stall = 2s}}};
  oracle::Oracle oracle(truth, {{"warmup", 0s, 5s}, {"storm", 5s, 10s}},
                        {{.name = "partition uplink", .link = "uplink", .start = 5s, .end = 7s}},
                        checks);
  for (int i = 0; i < 50; ++i) {
    const Micros t = Micros{i * 200'000};
    Observation o{.id = static_cast<uint64_t>(i + 1),
                  .hub = "hub-1",
                  .account = "alice",
                  .requested_camera = "cam-a",
                  .received_at = t + 20ms};
    o.sei = SeiIdentity{.version = 1,
                        .camera = "cam-a",
                        .owner = "alice",
                        .sequence = static_cast<uint64_t>(i),
                        .capture_time = t,
                        .hmac_valid = true};
    o.pixel_code = 1;
    if (i == 30) {  // bob's camera reaches alice during the storm
      o.sei->camera = "cam-b";
      o.sei->owner = "bob";
      o.sei->sequence = 777;
      o.pixel_code = 2;
    }
    oracle.judge(o);
  }
  const auto results = oracle.finish(10s);

  RunRecord record;
  record.scenario_name = "cache-mixup";
  record.scenario_description = "A cache swaps cameras during a partition";
  record.scenario_file = "scenarios/cache-mixup.yaml";
  record.seed = 42;
  record.started = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  record.finished = record.started + 10s;
  record.duration = 10s;
  record.exit_code = 1;
  record.schedule = {{5s, "partition uplink for 2s"}, {7s, "heal uplink"}};
  record.phases = {{"warmup", 0s, 5s}, {"storm", 5s, 10s}};
  record.faults = {{.name = "partition uplink", .link = "uplink", .start = 5s, .end = 7s}};
  record.fault_counters = {{.link = "uplink",
                            .direction = "upstream",
                            .stage = "partition",
                            .action = "drop",
                            .count = 120,
                            .bytes = 96000}};
  record.fault_events = {
      {.time = 5s, .link = "uplink", .stage = "partition", .action = "partition-start"}};
  add_oracle_results(record, results);
  for (auto& e : record.evidence) {
    e.png_path = evidence_png_path(e.id);
    const std::string pcap = evidence_pcap_path(e.id, "uplink");
    e.captures = {{.path = pcap,
                   .link = "uplink:cam-2",
                   .protocol = "rtsp",
                   .server_port = 41234,
                   .decode = decode_command("rtsp", 41234, pcap)}};
    e.active_faults = {"uplink: partition"};
    std::filesystem::create_directories(report_dir / kEvidenceDir);
    std::ofstream(report_dir / e.png_path, std::ios::binary) << kTinyPng;
  }
  record.repro_command = "camleak run scenarios/cache-mixup.yaml --seed 42";
  return record;
}

}  // namespace camleak::reports::test
