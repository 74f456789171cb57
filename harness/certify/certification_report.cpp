#include "harness/certify/certification_report.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/core/errors.hpp"
#include "harness/core/json_text.hpp"
#include "reports/text.hpp"

namespace camleak::certify {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using reports::xml_escape;

std::string figure(const std::optional<double>& v, const char* unit, int precision = 0) {
  if (!v) return "–";
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(precision);
  out << *v << unit;
  return out.str();
}

// The worst figures of a test over its seeds.
RunFigures worst_of(const std::vector<SeedRun>& seeds) {
  RunFigures w;
  const auto max = [](std::optional<double>& slot, const std::optional<double>& v) {
    if (v && (!slot || *v > *slot)) slot = v;
  };
  for (const auto& s : seeds) {
    const auto& f = s.figures;
    w.frames_checked += f.frames_checked;
    w.leaks += f.leaks;
    w.splices += f.splices;
    w.forgeries += f.forgeries;
    w.stale += f.stale;
    w.unverifiable += f.unverifiable;
    w.probes += f.probes;
    w.probes_refused += f.probes_refused;
    w.probe_violations += f.probe_violations;
    w.probes_unknown += f.probes_unknown;
    w.sut_calls_refused += f.sut_calls_refused;
    max(w.worst_first_frame_ms, f.worst_first_frame_ms);
    max(w.worst_stall_ms, f.worst_stall_ms);
    max(w.worst_revoke_latency_ms, f.worst_revoke_latency_ms);
    if (f.worst_delivered_ratio &&
        (!w.worst_delivered_ratio || *f.worst_delivered_ratio < *w.worst_delivered_ratio))
      w.worst_delivered_ratio = f.worst_delivered_ratio;
  }
  return w;
}

}  // namespace

std::string certification_outcome(const CertificationRecord& record) {
  if (record.interrupted) return "INTERRUPTED";
  switch (record.exit_code) {
    case 0:
      return "PASS";
    case 1:
      return "FAIL";
    case 2:
      return "NOTHING APPLICABLE";
    default:
      return "ERROR";
  }
}

json::value certification_json(const CertificationRecord& r) {
  json::array sources, tests, not_covered;
  for (const auto& s : r.plan.sources)
    sources.push_back(json::object{{"id", s.id}, {"title", s.title}, {"url", s.url}});
  for (const auto& n : r.plan.not_covered) not_covered.push_back(json::value(n));
  for (const auto& t : r.tests) {
    json::array seeds, planned, needs;
    for (const auto& n : t.needs) needs.push_back(json::value(n));
    for (const auto& s : t.seeds) seeds.push_back(to_json(s));
    for (uint64_t seed : t.test.seeds) planned.push_back(seed);
    if (t.status == "not_applicable")
      not_covered.push_back(json::value(t.test.id + " " + t.test.title + ": " + t.reason));
    tests.push_back(json::object{{"id", t.test.id},
                                 {"title", t.test.title},
                                 {"purpose", t.test.purpose},
                                 {"pass_criteria", t.test.pass},
                                 {"scenario", t.test.scenario},
                                 {"scenario_sha256", t.scenario_sha256},
                                 {"seeds", planned},
                                 {"needs", needs},
                                 {"status", t.status},
                                 {"reason", t.reason},
                                 {"worst", to_json(worst_of(t.seeds))},
                                 {"runs", seeds}});
  }
  const auto& d = r.dut;
  return json::object{
      {"schema", "camleak.certification/1"},
      {"outcome", certification_outcome(r)},
      {"exit_code", r.exit_code},
      {"started", reports::iso8601(r.started)},
      {"finished", reports::iso8601(r.finished)},
      {"camleak", json::object{{"version", r.camleak_version}, {"build", r.camleak_build}}},
      {"plan", json::object{{"name", r.plan.name},
                            {"version", r.plan.version},
                            {"description", r.plan.description},
                            {"sources", sources}}},
      {"dut", json::object{{"vendor", d.vendor},
                           {"product", d.product},
                           {"version", d.version},
                           {"contact", d.contact},
                           {"adapter", d.sut.adapter.name},
                           {"declaration_sha256", r.dut_sha256},
                           {"declaration", d.text}}},
      {"resumed_runs", r.resumed_runs},
      {"tests", tests},
      {"not_covered", not_covered}};
}

std::string certification_junit(const CertificationRecord& r) {
  size_t failures = 0, errors = 0, skipped = 0;
  for (const auto& t : r.tests) {
    failures += t.status == "fail";
    errors += t.status == "error" || t.status == "not_run";
    skipped += t.status == "not_applicable";
  }
  const bool nothing_certified = r.exit_code == 2 && errors == 0 && failures == 0;
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\""
      << xml_escape(r.plan.name + " " + r.plan.version) << "\" tests=\""
      << r.tests.size() + nothing_certified << "\" failures=\"" << failures << "\" errors=\""
      << errors + nothing_certified << "\" skipped=\"" << skipped << "\">\n";
  for (const auto& t : r.tests) {
    out << "    <testcase classname=\"" << xml_escape(r.plan.name) << "\" name=\""
        << xml_escape(t.test.id + " " + t.test.title) << "\">\n";
    std::string detail;
    for (const auto& s : t.seeds)
      for (const auto& p : s.problems) detail += "seed " + std::to_string(s.seed) + ": " + p + "\n";
    if (t.status == "not_applicable")
      out << "      <skipped message=\"" << xml_escape(t.reason) << "\"/>\n";
    else if (t.status == "fail")
      out << "      <failure message=\"" << xml_escape(t.test.pass) << "\">" << xml_escape(detail)
          << "</failure>\n";
    else if (t.status == "error" || t.status == "not_run")
      out << "      <error message=\""
          << (t.status == "not_run" ? "not run: interrupted" : "harness error") << "\">"
          << xml_escape(detail) << "</error>\n";
    out << "    </testcase>\n";
  }
  if (nothing_certified)
    out << "    <testcase classname=\"" << xml_escape(r.plan.name)
        << "\" name=\"certification\">\n      <error message=\"nothing was certified: no test "
           "was applicable or a run could not start (exit 2)\"/>\n    </testcase>\n";
  out << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

std::string certification_html(const CertificationRecord& r) {
  std::ostringstream out;
  const std::string outcome = certification_outcome(r);
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
      << xml_escape(r.dut.vendor + " " + r.dut.product + " — " + outcome) << "</title>\n"
      << "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
         "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
         ".pass{color:#070}.fail,.error,.not_run{color:#b00}.not_applicable{color:#777}"
         "</style></head><body>\n";
  out << "<h1>Certification: <span class=\"" << (r.exit_code == 0 ? "pass" : "fail") << "\">"
      << xml_escape(outcome) << "</span></h1>\n";
  out << "<p>" << xml_escape(r.dut.vendor) << " " << xml_escape(r.dut.product) << " "
      << xml_escape(r.dut.version) << " (contact " << xml_escape(r.dut.contact) << ", adapter "
      << xml_escape(r.dut.sut.adapter.name) << "), plan " << xml_escape(r.plan.name) << " "
      << xml_escape(r.plan.version) << ", camleak " << xml_escape(r.camleak_version) << " ("
      << xml_escape(r.camleak_build) << "), " << xml_escape(reports::iso8601(r.started)) << " to "
      << xml_escape(reports::iso8601(r.finished)) << ".</p>\n";
  out << "<table><tr><th>Test</th><th>Verdict</th><th>Frames judged</th><th>LEAK</th>"
         "<th>Worst first frame</th><th>Worst stall</th><th>Worst delivered</th>"
         "<th>Probes refused</th><th>Worst revoke latency</th><th>Runs</th></tr>\n";
  for (const auto& t : r.tests) {
    const RunFigures w = worst_of(t.seeds);
    out << "<tr><td><b>" << xml_escape(t.test.id) << "</b> " << xml_escape(t.test.title)
        << "<br><small>" << xml_escape(t.test.purpose) << "<br>Pass: " << xml_escape(t.test.pass)
        << "<br>scenario " << xml_escape(fs::path(t.test.scenario).filename().string())
        << " sha256 " << xml_escape(t.scenario_sha256.substr(0, 16)) << "…, needs "
        << xml_escape([&] {
             std::string list;
             for (const auto& n : t.needs) list += (list.empty() ? "" : ", ") + n;
             return list;
           }())
        << "</small></td>"
        << "<td class=\"" << t.status << "\">" << xml_escape(t.status)
        << (t.reason.empty() ? "" : "<br><small>" + xml_escape(t.reason) + "</small>") << "</td>";
    if (t.status == "not_applicable") {
      out << "<td colspan=\"8\"></td></tr>\n";
      continue;
    }
    out << "<td>" << w.frames_checked << "</td><td>" << w.leaks << "</td><td>"
        << figure(w.worst_first_frame_ms, " ms") << "</td><td>" << figure(w.worst_stall_ms, " ms")
        << "</td><td>" << figure(w.worst_delivered_ratio, "", 3) << "</td><td>" << w.probes_refused
        << "/" << w.probes << "</td><td>" << figure(w.worst_revoke_latency_ms, " ms")
        << "</td><td>";
    for (const auto& s : t.seeds) {
      out << "<a href=\"" << xml_escape(s.report_dir) << "/report.html\">seed " << s.seed << " "
          << s.verdict << "</a><br>";
      for (const auto& p : s.problems) out << "<small>" << xml_escape(p) << "</small><br>";
    }
    out << "</td></tr>\n";
  }
  out << "</table>\n<h2>Sources of the budgets</h2><ul>\n";
  for (const auto& s : r.plan.sources)
    out << "<li>" << xml_escape(s.id) << ": " << xml_escape(s.title) << " <a href=\""
        << xml_escape(s.url) << "\">" << xml_escape(s.url) << "</a></li>\n";
  out << "</ul>\n<h2>Not covered</h2><ul>\n";
  for (const auto& n : r.plan.not_covered) out << "<li>" << xml_escape(n) << "</li>\n";
  for (const auto& t : r.tests)
    if (t.status == "not_applicable")
      out << "<li>" << xml_escape(t.test.id + " " + t.test.title + ": " + t.reason) << "</li>\n";
  out << "</ul>\n<h2>Device under test</h2><pre>" << xml_escape(r.dut.text) << "</pre>\n"
      << "<p>Every file of this directory is listed with its SHA-256 in MANIFEST, signed in "
         "MANIFEST.sig: <code>camleak verify DIR --pubkey KEY.pub</code>.</p>\n</body></html>\n";
  return out.str();
}

void write_file_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out) throw HarnessError("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

void write_certification(const CertificationRecord& record, const std::string& dir) {
  const fs::path out(dir);
  write_file_atomically(out / "certification.json", json_text(certification_json(record)) + "\n");
  write_file_atomically(out / "certification.html", certification_html(record));
  write_file_atomically(out / "junit.xml", certification_junit(record));
}

}  // namespace camleak::certify
