// Fleet-scale cost of the oracle and the report writers: N cameras each watched by one hub (its
// owner's), plus a few cross-account shares, a revoke, phases, faults, probes and a sprinkle of
// leaks, judged frame by frame as the run loop would; then finish() and the three reports.
// Prints nanoseconds per judge() and the time and size of each report.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <sstream>

#include "harness/core/rng.hpp"
#include "harness/oracle/oracle.hpp"
#include "reports/html_writer.hpp"
#include "reports/json_writer.hpp"
#include "reports/junit_writer.hpp"

using namespace camleak;
using Steady = std::chrono::steady_clock;

namespace {

double elapsed_ms(Steady::time_point since) {
  return std::chrono::duration<double, std::milli>(Steady::now() - since).count();
}

template <typename W>
void time_report(const char* name, const reports::RunRecord& record) {
  const auto start = Steady::now();
  std::ostringstream out;
  W writer(out);
  writer.write(record);
  std::printf("%-6s report: %8.1f ms, %10zu bytes\n", name, elapsed_ms(start), out.str().size());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"oracle benchmark"};
  int hubs = 1000;
  int seconds = 60;
  int fps = 15;
  app.add_option("--hubs", hubs, "hubs (= cameras = accounts)");
  app.add_option("--seconds", seconds, "run length");
  app.add_option("--fps", fps, "frames per second per camera");
  CLI11_PARSE(app, argc, argv);

  oracle::GroundTruth truth;
  for (int i = 0; i < hubs; ++i) {
    const std::string n = std::to_string(i);
    truth.accounts.push_back("account-" + n);
    truth.cameras.push_back({"cam-" + n, "account-" + n, static_cast<uint32_t>(1000 + i)});
    truth.hubs.push_back({"hub-" + n, "account-" + n});
    if (i % 10 == 0 && i + 1 < hubs)
      truth.shares.push_back({.camera = "cam-" + n,
                              .account = "account-" + std::to_string(i + 1),
                              .from = Micros{0},
                              .until = std::chrono::seconds(seconds / 2)});
  }
  const Micros run = std::chrono::seconds(seconds);
  std::vector<oracle::Phase> phases = {
      {"calm", Micros{0}, run / 3}, {"storm", run / 3, 2 * run / 3}, {"recover", 2 * run / 3, run}};
  std::vector<oracle::FaultWindow> faults = {{"partition uplink", "uplink", run / 3, run / 2}};
  oracle::Checks checks{.phases = {{.phase = "storm",
                                    .max_stall = std::chrono::seconds(5),
                                    .min_delivered_ratio = 0.5,
                                    .probes_refused = true},
                                   {.phase = "recover",
                                    .max_recovery = std::chrono::seconds(3),
                                    .freshness = std::chrono::seconds(1)}}};
  oracle::Oracle oracle(truth, phases, faults, checks);

  Rng rng(Rng::derive(7, "oracle-bench"));
  const Micros frame_gap = Micros{1'000'000 / fps};
  uint64_t judged = 0;
  const auto start = Steady::now();
  for (Micros t{0}; t < run; t += frame_gap) {
    for (int i = 0; i < hubs; ++i) {
      const std::string& cam = truth.cameras[static_cast<size_t>(i)].name;
      oracle.record_sent(cam, t);
      if (rng.bernoulli(0.02)) continue;  // lost on the way
      Observation o{.id = ++judged,
                    .hub = truth.hubs[static_cast<size_t>(i)].name,
                    .account = truth.hubs[static_cast<size_t>(i)].account,
                    .requested_camera = cam,
                    .received_at = t + Micros{static_cast<int64_t>(rng.uniform() * 80'000)}};
      const auto seq = static_cast<uint64_t>(t / frame_gap);
      o.sei = SeiIdentity{.version = 1,
                          .camera = cam,
                          .owner = o.account,
                          .sequence = seq,
                          .capture_time = t,
                          .hmac_valid = true};
      o.pixel_code = truth.cameras[static_cast<size_t>(i)].pixel_code;
      if (rng.bernoulli(1e-5)) o.pixel_code = 1000 + static_cast<uint32_t>((i + 7) % hubs);
      oracle.judge(o);
    }
  }
  const double judge_ms = elapsed_ms(start);
  std::printf("judge(): %llu observations in %.1f ms = %.0f ns each (%.0f per second)\n",
              static_cast<unsigned long long>(judged), judge_ms, judge_ms * 1e6 / judged,
              judged / (judge_ms / 1e3));

  auto finish_start = Steady::now();
  const auto results = oracle.finish(run);
  std::printf("finish(): %.1f ms, %zu stream rows, %zu checks, %llu leaks\n",
              elapsed_ms(finish_start), results.streams.size(), results.checks.size(),
              static_cast<unsigned long long>(results.count(oracle::VerdictKind::leak)));

  reports::RunRecord record;
  record.scenario_name = "bench";
  record.duration = run;
  record.phases = phases;
  record.faults = faults;
  reports::add_oracle_results(record, results);
  time_report<reports::JsonWriter>("json", record);
  time_report<reports::JunitWriter>("junit", record);
  time_report<reports::HtmlWriter>("html", record);
  return 0;
}
