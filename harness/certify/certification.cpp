#include "harness/certify/certification.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "harness/certify/directory_signing.hpp"
#include "harness/core/errors.hpp"
#include "harness/core/json_text.hpp"
#include "harness/core/units.hpp"
#include "harness/runner/run.hpp"
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

void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out) throw HarnessError("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

using Done = std::map<std::pair<std::string, uint64_t>, SeedRun>;

// What an earlier, interrupted certification into the same directory finished.
Done load_progress(const fs::path& out, const Plan& plan, const std::string& dut_sha256) {
  Done done;
  const fs::path file = out / kProgressFile;
  std::error_code ec;
  if (!fs::exists(file, ec)) return done;
  json::value v;
  try {
    v = json::parse(read_file(file));
  } catch (const std::exception& e) {
    throw InputError(Diagnostic{.file = file.string(),
                                .message = std::string("not a camleak progress file: ") + e.what()});
  }
  const auto& o = v.as_object();
  if (o.at("plan").as_string() != plan.name || o.at("version").as_string() != plan.version ||
      o.at("dut_sha256").as_string() != dut_sha256)
    throw InputError(Diagnostic{
        .file = file.string(),
        .message = "this directory holds a certification of another plan version or DUT "
                   "declaration; give a new --out directory"});
  for (const auto& r : o.at("runs").as_array()) {
    const auto& run = r.as_object();
    SeedRun seed = seed_run_from_json(run.at("run"));
    done[{std::string(run.at("test").as_string()), seed.seed}] = std::move(seed);
  }
  return done;
}

void save_progress(const fs::path& out, const Plan& plan, const std::string& dut_sha256,
                   const Done& done) {
  json::array runs;
  for (const auto& [key, run] : done) runs.push_back(json::object{{"test", key.first}, {"run", to_json(run)}});
  write_atomically(out / kProgressFile,
                   json_text(json::object{{"plan", plan.name},
                                          {"version", plan.version},
                                          {"dut_sha256", dut_sha256},
                                          {"runs", runs}}) +
                       "\n");
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
  Done done = load_progress(out, plan, record.dut_sha256);

  // Time left: the scenario durations still to run (starting and provisioning come on top).
  Micros left{0};
  size_t total_runs = 0;
  for (size_t i = 0; i < plan.tests.size(); ++i) {
    TestResult r{.test = plan.tests[i], .status = "", .reason = not_applicable(scenarios[i], dut),
                 .scenario_sha256 = sha256_of_file(plan.tests[i].scenario), .seeds = {}};
    if (!r.reason.empty()) r.status = "not_applicable";
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
      progress.line("certify", "[" + std::to_string(index) + "/" + std::to_string(total_runs) +
                                   "] " + r.test.id + " " + r.test.title + ", seed " +
                                   std::to_string(seed) + " (at least " +
                                   units::format_duration(std::chrono::duration_cast<
                                                          std::chrono::seconds>(left)) +
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
      progress.line("certify", "  " + r.test.id + " seed " + std::to_string(seed) + ": " +
                                   seed_run.verdict);
      done[{r.test.id, seed}] = seed_run;
      r.seeds.push_back(std::move(seed_run));
      save_progress(out, plan, record.dut_sha256, done);
    }
    if (record.interrupted) break;
  }

  bool any_applicable = false, any_failed = false, any_error = false;
  for (auto& r : record.tests) {
    if (r.status == "not_applicable") continue;
    any_applicable = true;
    r.status = r.seeds.size() < r.test.seeds.size() ? "not_run" : test_status(r.seeds);
    any_failed = any_failed || r.status == "fail";
    any_error = any_error || r.status == "error";
  }
  record.exit_code = record.interrupted || any_error ? static_cast<int>(ExitCode::harness_failed)
                     : !any_applicable               ? static_cast<int>(ExitCode::bad_input)
                     : any_failed                    ? static_cast<int>(ExitCode::check_failed)
                                                     : 0;
  record.finished = std::chrono::system_clock::now();
  return record;
}

}  // namespace camleak::certify
