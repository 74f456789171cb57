#include "harness/certify/certification.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "harness/certify/certification_report.hpp"
#include "harness/certify/directory_signing.hpp"
#include "harness/core/errors.hpp"
#include "harness/core/json_text.hpp"
#include "harness/core/units.hpp"
#include "harness/runner/run.hpp"
#include "harness/scenario/capabilities.hpp"
#include "harness/scenario/loader.hpp"

namespace camleak::certify {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr const char* kProgressFile = "progress.json";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

using Done = std::map<std::pair<std::string, uint64_t>, SeedRun>;

// What a certification's results depend on: a finished seed is reused only when all of it is the
// same (plan and its scenarios, DUT declaration and its adapter, camleak's build).
json::object fingerprint(const Plan& plan, const std::vector<std::string>& scenario_sha256,
                         const CertificationRecord& record) {
  json::object scenarios;
  for (size_t i = 0; i < plan.tests.size(); ++i) scenarios[plan.tests[i].id] = scenario_sha256[i];
  const std::string& adapter = record.dut.sut.adapter.file;
  return json::object{{"plan", plan.name},
                      {"version", plan.version},
                      {"plan_sha256", sha256_of_file(plan.file)},
                      {"dut_sha256", record.dut_sha256},
                      {"adapter_sha256", adapter.empty() ? "" : sha256_of_file(adapter)},
                      {"camleak_build", record.camleak_version + " " + record.camleak_build},
                      {"scenarios", scenarios}};
}

// What an earlier, interrupted certification into the same directory finished. Seeds whose run
// failed on the harness's side (exit 2 or 3) say nothing of the DUT: they run again.
Done load_progress(const fs::path& out, const json::object& expected) {
  Done done;
  const fs::path file = out / kProgressFile;
  std::error_code ec;
  if (!fs::exists(file, ec)) return done;
  try {
    const json::value v = json::parse(read_file(file));
    const auto& o = v.as_object();
    if (o.at("fingerprint").as_object() != expected)
      throw InputError(Diagnostic{
          .file = file.string(),
          .message = "this directory holds a certification of another plan, scenario, DUT "
                     "declaration, adapter or camleak build; give a new --out directory"});
    for (const auto& r : o.at("runs").as_array()) {
      const auto& run = r.as_object();
      SeedRun seed = seed_run_from_json(run.at("run"));
      if (seed.exit_code >= 2) continue;
      done[{std::string(run.at("test").as_string()), seed.seed}] = std::move(seed);
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError(Diagnostic{
        .file = file.string(), .message = std::string("not a camleak progress file: ") + e.what()});
  }
  return done;
}

void save_progress(const fs::path& out, const json::object& fingerprint, const Done& done) {
  json::array runs;
  for (const auto& [key, run] : done)
    runs.push_back(json::object{{"test", key.first}, {"run", to_json(run)}});
  write_file_atomically(
      out / kProgressFile,
      json_text(json::object{{"fingerprint", fingerprint}, {"runs", runs}}) + "\n");
}

}  // namespace

std::string test_status(const std::vector<SeedRun>& seeds) {
  bool failed = false;
  for (const auto& s : seeds) {
    if (s.exit_code >= 2) return "error";
    failed = failed || s.exit_code != 0;
  }
  return failed ? "fail" : "pass";
}

CertificationRecord run_certification(const Plan& plan, const Dut& dut,
                                      const CertifyOptions& options, runner::Progress& progress) {
  static const std::atomic<bool> kNever{false};
  const std::atomic<bool>& interrupted = options.interrupted ? *options.interrupted : kNever;
  CertificationRecord record;
  record.plan = plan;
  record.dut = dut;
  record.dut_sha256 = sha256_of_file(dut.file);
  record.camleak_version = options.camleak_version;
  record.camleak_build = options.camleak_build;
  record.started = std::chrono::system_clock::now();

  // Every scenario first: a bad one stops the certification before anything runs.
  std::vector<scenario::Scenario> scenarios;
  std::vector<Diagnostic> problems;
  for (const auto& t : plan.tests) {
    try {
      scenarios.push_back(scenario::load_scenario_file(t.scenario));
      scenarios.back().sut = dut.sut;
    } catch (const InputError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));

  const fs::path out(options.out_dir);
  fs::create_directories(out);
  std::vector<std::string> scenario_sha256;
  for (const auto& t : plan.tests) scenario_sha256.push_back(sha256_of_file(t.scenario));
  const json::object print = fingerprint(plan, scenario_sha256, record);
  Done done = load_progress(out, print);

  // Time left: the scenario durations still to run (starting and provisioning come on top).
  Micros left{0};
  size_t total_runs = 0;
  for (size_t i = 0; i < plan.tests.size(); ++i) {
    TestResult r{.test = plan.tests[i],
                 .status = "",
                 .reason = not_applicable(scenarios[i], dut),
                 .scenario_sha256 = scenario_sha256[i],
                 .seeds = {}};
    if (!r.reason.empty()) r.status = "not_applicable";
    for (const auto& need : scenario::needed_capabilities(scenarios[i])) r.needs.push_back(need);
    for (uint64_t seed : plan.tests[i].seeds) {
      if (!r.reason.empty()) continue;
      ++total_runs;
      if (!done.contains({r.test.id, seed})) left += scenarios[i].duration;
    }
    record.tests.push_back(std::move(r));
  }

  size_t index = 0;
  for (size_t i = 0; i < record.tests.size(); ++i) {
    TestResult& r = record.tests[i];
    if (!r.reason.empty()) {
      progress.line("certify", r.test.id + ": not applicable (" + r.reason + ")");
      continue;
    }
    for (uint64_t seed : r.test.seeds) {
      ++index;
      const std::string relative =
          (fs::path("tests") / r.test.id / ("seed-" + std::to_string(seed))).string();
      if (const auto it = done.find({r.test.id, seed}); it != done.end()) {
        ++record.resumed_runs;
        r.seeds.push_back(it->second);
        continue;
      }
      if (interrupted.load()) {
        record.interrupted = true;
        break;
      }
      progress.line(
          "certify",
          "[" + std::to_string(index) + "/" + std::to_string(total_runs) + "] " + r.test.id + " " +
              r.test.title + ", seed " + std::to_string(seed) + " (at least " +
              units::format_duration(std::chrono::duration_cast<std::chrono::seconds>(left)) +
              " of scenarios left)");
      runner::RunOptions run;
      run.seed = seed;
      run.report_dir = (out / relative).string();
      fs::remove_all(run.report_dir);  // a run cut short before: start it again cleanly
      runner::RunOutcome outcome;
      try {
        outcome = runner::run_scenario(scenarios[i], run, progress, interrupted);
      } catch (const InputError& e) {
        outcome.exit_code = static_cast<int>(ExitCode::bad_input);
        outcome.record.harness_errors.push_back(e.what());
      }
      left -= scenarios[i].duration;
      if (interrupted.load()) {
        // Cut short: not a result; a resumed certification runs this seed again.
        record.interrupted = true;
        break;
      }
      SeedRun seed_run = seed_run_of(seed, outcome.record, outcome.exit_code, relative);
      progress.line("certify",
                    "  " + r.test.id + " seed " + std::to_string(seed) + ": " + seed_run.verdict);
      r.seeds.push_back(seed_run);
      if (seed_run.exit_code < 2) {
        done[{r.test.id, seed}] = seed_run;
        save_progress(out, print, done);
      }
    }
    if (record.interrupted) break;
  }

  bool any_applicable = false, any_failed = false, any_error = false, any_bad_input = false;
  for (auto& r : record.tests) {
    if (r.status == "not_applicable") continue;
    any_applicable = true;
    r.status = r.seeds.size() < r.test.seeds.size() ? "not_run" : test_status(r.seeds);
    any_failed = any_failed || r.status == "fail";
    for (const auto& s : r.seeds) {
      any_error = any_error || s.exit_code >= 3;
      any_bad_input = any_bad_input || s.exit_code == 2;
    }
  }
  // One rule, as for a run: the harness failing (or Ctrl-C) is 3; bad input found while starting
  // a run (an adapter URL the DUT's sut does not give) is 2; nothing applicable proved nothing:
  // 2; else a failed test is 1.
  record.exit_code = record.interrupted || any_error    ? static_cast<int>(ExitCode::harness_failed)
                     : any_bad_input || !any_applicable ? static_cast<int>(ExitCode::bad_input)
                     : any_failed                       ? static_cast<int>(ExitCode::check_failed)
                                                        : 0;
  record.finished = std::chrono::system_clock::now();
  return record;
}

}  // namespace camleak::certify
