#include "harness/runner/suite.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "harness/core/errors.hpp"
#include "harness/core/json_text.hpp"
#include "harness/scenario/capabilities.hpp"
#include "harness/scenario/loader.hpp"
#include "reports/run_record.hpp"

namespace camleak::runner {
namespace {

namespace fs = std::filesystem;

bool is_yaml(const fs::path& p) {
  return p.extension() == ".yaml" || p.extension() == ".yml";
}

std::string slug(const std::string& name) {
  std::string out;
  for (char c : name)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '-';
  return out.empty() ? "scenario" : out;
}

// run_scenario on a worker thread: an exception escaping a thread would end the process
// (std::terminate), so anything that escapes becomes this scenario's harness error (exit 3,
// or 2 for bad input found while starting).
RunOutcome run_guarded(const scenario::Scenario& s, const RunOptions& run, Progress& progress,
                       const std::atomic<bool>& interrupted) {
  RunOutcome outcome;
  try {
    return run_scenario(s, run, progress, interrupted);
  } catch (const InputError& e) {
    outcome.exit_code = static_cast<int>(ExitCode::bad_input);
    outcome.record.harness_errors.push_back(e.what());
  } catch (const std::exception& e) {
    outcome.exit_code = static_cast<int>(ExitCode::harness_failed);
    outcome.record.harness_errors.push_back(std::string("internal error: ") + e.what());
  }
  outcome.record.scenario_name = s.name;
  outcome.record.scenario_file = s.file;
  outcome.record.exit_code = outcome.exit_code;
  return outcome;
}

}  // namespace

std::vector<std::string> collect_scenario_files(const std::vector<std::string>& paths) {
  std::set<std::string> files;
  std::vector<Diagnostic> problems;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        if (it->is_regular_file() && is_yaml(it->path()) &&
            scenario::read_summary(it->path().string())) {
          files.insert(it->path().lexically_normal().string());
        }
      }
    } else if (fs::is_regular_file(p, ec)) {
      files.insert(fs::path(p).lexically_normal().string());
    } else {
      problems.push_back(Diagnostic{.file = p, .message = "no such file or directory"});
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  if (files.empty()) throw InputError("no scenario files found");
  return {files.begin(), files.end()};
}

int run_suite(const std::vector<std::string>& files, const SuiteOptions& options,
              Progress& progress, const std::atomic<bool>& interrupted,
              std::vector<SuiteEntry>* entries_out) {
  // Validate everything before starting anything.
  std::vector<scenario::Scenario> scenarios;
  std::vector<Diagnostic> problems;
  for (const auto& f : files) {
    try {
      scenarios.push_back(scenario::load_scenario_file(f));
    } catch (const InputError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  if (options.adapter) {
    for (auto& s : scenarios) s.sut.adapter = *options.adapter;
  }
  // controls[i]: scenario i is an incident reproduction run again with its defects off.
  std::vector<bool> controls(scenarios.size(), false);
  if (options.no_defects) {
    for (auto& s : scenarios) s.sut.builtin.defects.clear();
  } else if (options.expectations) {
    // Each incident reproduction also runs with its defects off: the same stress must pass.
    std::vector<scenario::Scenario> with_controls;
    controls.clear();
    for (auto& s : scenarios) {
      with_controls.push_back(s);
      controls.push_back(false);
      if (s.sut.kind == scenario::Sut::Kind::builtin && !s.sut.builtin.defects.empty()) {
        scenario::Scenario control = s;
        control.sut.builtin.defects.clear();
        control.name += "-defects-off";
        with_controls.push_back(std::move(control));
        controls.push_back(true);
      }
    }
    scenarios = std::move(with_controls);
  }

  // Report directories and options are fixed up front, so they do not depend on which run
  // finishes first.
  std::vector<RunOptions> runs;
  std::set<std::string> used_dirs;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const auto& s = scenarios[i];
    RunOptions run = options.run;
    if (!run.report_dir.empty()) {
      std::string dir = slug(s.name);
      for (int n = 2; used_dirs.contains(dir); ++n) dir = slug(s.name) + "-" + std::to_string(n);
      used_dirs.insert(dir);
      run.report_dir = scenarios.size() == 1 ? options.run.report_dir
                                             : (fs::path(options.run.report_dir) / dir).string();
    }
    if (controls[i] || options.no_defects) run.repro_prefix += " --no-defects";
    runs.push_back(std::move(run));
  }

  std::vector<std::optional<SuiteEntry>> results(scenarios.size());
  std::mutex print_mutex;  // one scenario's verdict block stays together on screen
  auto run_one = [&](size_t i) {
    const auto& s = scenarios[i];
    const RunOptions& run = runs[i];
    if (const std::string reason = scenario::not_applicable_reason(s); !reason.empty()) {
      std::lock_guard lock(print_mutex);
      progress.line("verdict", s.name + ": NOT APPLICABLE (" + reason + ")");
      results[i] =
          SuiteEntry{.file = s.file, .name = s.name, .as_expected = true, .not_applicable = reason};
      return;
    }
    RunOutcome outcome = run_guarded(s, run, progress, interrupted);
    SuiteEntry e{.file = s.file,
                 .name = s.name,
                 .seed = outcome.record.seed,
                 .exit_code = outcome.exit_code,
                 .leaks = outcome.record.count(oracle::VerdictKind::leak),
                 .expect_detection =
                     s.sut.kind == scenario::Sut::Kind::builtin && !s.sut.builtin.defects.empty(),
                 .report_dir = run.report_dir};
    e.as_expected = e.expect_detection ? (e.exit_code == 1 && e.leaks > 0) : e.exit_code == 0;

    std::string verdict = std::string(reports::outcome(outcome.record));
    if (e.leaks > 0) verdict += " (" + std::to_string(e.leaks) + " LEAK)";
    if (options.expectations && e.expect_detection)
      verdict += e.as_expected ? "  defect detected, as expected" : "  DEFECT NOT DETECTED";
    std::lock_guard lock(print_mutex);
    progress.line("verdict", s.name + ": " + verdict);
    for (const auto& err : outcome.record.harness_errors) progress.line("note", "  " + err);
    for (const auto& check : outcome.record.results.checks) {
      if (!check.passed)
        progress.line("check",
                      "  failed " + check.phase + ": " + check.check + ": " + check.message);
    }
    if (!run.report_dir.empty())
      progress.line("report", "  report: " + run.report_dir + "/report.html");
    progress.line("repro", "  repro: " + outcome.record.repro_command);
    results[i] = std::move(e);
  };

  // Runs are independent (each has its own relay, proxy, fleet and ports), so `jobs` of them
  // may share the machine; each worker takes the next scenario in file order.
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < scenarios.size() && !interrupted.load(); i = next++) run_one(i);
  };
  const size_t jobs = std::clamp<size_t>(options.jobs, 1, scenarios.size());
  std::vector<std::thread> threads;
  for (size_t j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  std::vector<SuiteEntry> entries;
  int worst = 0;
  bool all_as_expected = true;
  bool harness_failed = false;
  for (auto& r : results) {
    if (!r) continue;  // not started: interrupted
    all_as_expected = all_as_expected && r->as_expected;
    harness_failed = harness_failed || r->exit_code >= 2;
    worst = std::max(worst, r->exit_code);
    entries.push_back(std::move(*r));
  }

  int code = worst;
  if (options.expectations)
    code = harness_failed ? 3 : (all_as_expected && !interrupted.load() ? 0 : 1);
  const bool none_applicable =
      !entries.empty() && std::all_of(entries.begin(), entries.end(), [](const SuiteEntry& e) {
        return !e.not_applicable.empty();
      });
  if (none_applicable) {
    progress.line("verdict", "nothing was run: no scenario is applicable to this SUT");
    code = static_cast<int>(ExitCode::bad_input);
  }
  if (scenarios.size() > 1) {
    size_t met = 0, not_applicable = 0;
    for (const auto& e : entries) {
      met += e.as_expected && e.not_applicable.empty();
      not_applicable += !e.not_applicable.empty();
    }
    progress.line("verdict",
                  std::string("SUITE ") + (code == 0 ? "PASS" : "FAIL") + ": " +
                      std::to_string(met) + "/" +
                      std::to_string(scenarios.size() - not_applicable) + " scenarios as expected" +
                      (not_applicable ? ", " + std::to_string(not_applicable) + " not applicable"
                                      : std::string()));
    if (!options.run.report_dir.empty()) {
      boost::json::array list;
      for (const auto& e : entries) {
        list.push_back({{"file", e.file},
                        {"name", e.name},
                        {"seed", e.seed},
                        {"exit_code", e.exit_code},
                        {"leaks", e.leaks},
                        {"expect_detection", e.expect_detection},
                        {"as_expected", e.as_expected},
                        {"not_applicable", e.not_applicable},
                        {"report", e.report_dir}});
      }
      const fs::path path = fs::path(options.run.report_dir) / "suite.json";
      const fs::path tmp = path.string() + ".tmp";
      std::ofstream(tmp) << json_text(boost::json::object{{"exit_code", code}, {"scenarios", list}})
                         << "\n";
      fs::rename(tmp, path);
    }
  }
  if (entries_out) *entries_out = std::move(entries);
  return code;
}

}  // namespace camleak::runner
