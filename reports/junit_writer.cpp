#include "reports/junit_writer.hpp"

#include <algorithm>
#include <ostream>

#include "reports/text.hpp"

namespace camleak::reports {
namespace {

constexpr size_t kMaxListedFindings = 100;

// The findings of a failed verdict check, one per line, with their evidence files.
std::string failure_body(const RunRecord& record, const oracle::CheckResult& check) {
  std::string body = check.message + "\n";
  if (check.lists_probe_violations) {
    size_t listed = 0;
    for (const auto& probe : record.results.probe_violations) {
      if (listed++ == kMaxListedFindings) break;
      body += "\n" + describe_probe(probe);
    }
  }
  if (!check.findings) return body;
  const auto kind = *check.findings;
  size_t listed = 0;
  size_t total = 0;
  for (const auto& e : record.evidence) {
    if (e.finding.verdict.kind != kind) continue;
    const auto& phases = e.finding.phases;
    if (check.phase != "run" &&
        std::find(phases.begin(), phases.end(), check.phase) == phases.end())
      continue;
    ++total;
    if (listed == kMaxListedFindings) continue;
    ++listed;
    body += "\n" + oracle::describe(e.finding);
    if (!e.png_path.empty()) body += "\n  picture: " + e.png_path;
    for (const auto& c : e.captures) body += "\n  capture: " + c.path + " (" + c.decode + ")";
    for (const auto& fault : e.active_faults) body += "\n  active fault: " + fault;
  }
  if (total > listed) body += "\n... and " + std::to_string(total - listed) + " more";
  return body;
}

}  // namespace

void JunitWriter::render(const RunRecord& r, std::ostream& out) {
  const std::string suite = xml_escape(r.scenario_name.empty() ? "camleak" : r.scenario_name);
  size_t failures = 0;
  for (const auto& c : r.results.checks)
    if (!c.passed) ++failures;
  const size_t errors = r.harness_errors.empty() ? 0 : 1;
  const size_t tests = r.results.checks.size() + errors;
  const std::string time = seconds(r.duration);

  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"camleak\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"" << errors << "\" time=\"" << time << "\">\n";
  out << "  <testsuite name=\"" << suite << "\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"" << errors << "\" skipped=\"0\" time=\"" << time << "\" timestamp=\""
      << iso8601(r.started) << "\">\n";
  out << "    <properties>\n";
  auto property = [&](std::string_view name, const std::string& value) {
    out << "      <property name=\"" << name << "\" value=\"" << xml_escape(value) << "\"/>\n";
  };
  property("schema", std::string(kReportSchema));
  property("seed", std::to_string(r.seed));
  property("scenario_file", r.scenario_file);
  property("outcome", std::string(outcome(r)));
  property("exit_code", std::to_string(exit_code_of(r)));
  property("repro", r.repro_command);
  out << "    </properties>\n";

  for (const auto& c : r.results.checks) {
    out << "    <testcase classname=\"" << suite << "\" name=\""
        << xml_escape(c.phase + ": " + c.check) << "\" time=\"0\">\n";
    if (!c.passed) {
      out << "      <failure type=\"" << xml_escape(c.check) << "\" message=\""
          << xml_escape(c.message) << "\">" << xml_escape(failure_body(r, c)) << "</failure>\n";
    } else {
      out << "      <system-out>" << xml_escape(c.message) << "</system-out>\n";
    }
    out << "    </testcase>\n";
  }
  if (errors) {
    std::string all;
    for (const auto& e : r.harness_errors) all += e + "\n";
    out << "    <testcase classname=\"" << suite << "\" name=\"run: harness\" time=\"0\">\n";
    out << "      <error type=\"harness\" message=\"" << xml_escape(r.harness_errors.front())
        << "\">" << xml_escape(all) << "</error>\n";
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace camleak::reports
