#include "reports/html_writer.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "reports/text.hpp"

namespace camleak::reports {
namespace {

using oracle::VerdictKind;

constexpr std::string_view kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:1100px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d1d5db}
.verdict{font-size:56px;font-weight:800;letter-spacing:2px;padding:14px 24px;border-radius:8px;color:#fff;display:inline-block}
.PASS{background:#15803d}.FAIL{background:#b91c1c}.ERROR{background:#92400e}
.meta{color:#4b5563;font-size:13px}.meta b{color:#111827}
table{border-collapse:collapse;width:100%;font-size:13px;background:#fff}
th,td{border:1px solid #e5e7eb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.failed td{background:#fef2f2}.pass{color:#15803d;font-weight:600}.fail{color:#b91c1c;font-weight:700}
.kind-LEAK{color:#b91c1c;font-weight:700}.kind-SPLICE,.kind-FORGED{color:#c2410c;font-weight:700}
img.evidence{max-width:320px;max-height:240px;border:2px solid #b91c1c;image-rendering:pixelated}
pre{background:#111827;color:#f9fafb;padding:8px;overflow-x:auto;font-size:12px}
.errors li{color:#b91c1c}.note{color:#6b7280;font-size:12px}
svg.timeline{background:#fff;border:1px solid #e5e7eb;max-width:100%;height:auto}
)";

std::string esc(std::string_view s) {
  return xml_escape(s);
}

std::string fixed(double v, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string measured(const oracle::CheckResult& c, double v) {
  if (c.unit == "ratio") return fixed(v * 100, 1) + "%";
  if (c.unit == "ms") return fixed(v, 1) + " ms";
  return fixed(v, 0);
}

int severity(VerdictKind kind) {
  return static_cast<int>(kind);
}

// Reads a picture to embed; empty when missing, too large or over the page budget.
std::string read_picture(const std::string& root, const std::string& relative, size_t max_bytes,
                         size_t& budget) {
  if (relative.empty()) return {};
  std::filesystem::path path(relative);
  if (path.is_relative()) path = std::filesystem::path(root) / path;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size == 0 || size > max_bytes || size > budget) return {};
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) return {};
  budget -= size;
  return bytes;
}

void header(const RunRecord& r, std::ostream& out) {
  const std::string_view result = outcome(r);
  out << "<header><div class=\"verdict " << result << "\" id=\"verdict\">" << result << "</div>\n";
  out << "<h1>" << esc(r.scenario_name.empty() ? "camleak run" : r.scenario_name) << "</h1>\n";
  if (!r.scenario_description.empty()) out << "<p>" << esc(r.scenario_description) << "</p>\n";
  size_t failed = 0;
  for (const auto& c : r.results.checks) failed += c.passed ? 0 : 1;
  out << "<p class=\"meta\"><b>" << failed << "</b> of <b>" << r.results.checks.size()
      << "</b> checks failed &middot; leaks <b>" << r.count(VerdictKind::leak)
      << "</b> &middot; seed <b>" << r.seed << "</b> &middot; exit code <b>" << exit_code_of(r)
      << "</b> &middot; " << esc(iso8601(r.started)) << " &ndash; " << esc(iso8601(r.finished))
      << " &middot; run time " << seconds(r.duration) << " s &middot; file " << esc(r.scenario_file)
      << "</p></header>\n";
  if (!r.harness_errors.empty()) {
    out << "<h2>Harness errors</h2><ul class=\"errors\">";
    for (const auto& e : r.harness_errors) out << "<li>" << esc(e) << "</li>";
    out << "</ul>\n";
  }
  if (!r.notes.empty()) {
    out << "<h2>Notes</h2><ul>";
    for (const auto& n : r.notes) out << "<li>" << esc(n) << "</li>";
    out << "</ul>\n";
  }
}

// What the SUT was told and when: the verdict's entitlements follow the scenario's times, so
// the send and answer times show how much notice the SUT had.
void sut_calls(const RunRecord& r, std::ostream& out) {
  if (r.sut_calls.empty()) return;
  out << "<h2>Shares and revokes sent</h2><table><tr><th>action</th><th>scenario time (s)</th>"
         "<th>sent (s)</th><th>answered (s)</th><th>result</th></tr>\n";
  for (const auto& c : r.sut_calls) {
    out << "<tr" << (c.accepted ? "" : " class=\"failed\"") << "><td>" << esc(c.action)
        << "</td><td class=\"num\">" << seconds(c.time) << "</td><td class=\"num\">"
        << seconds(c.sent_at) << "</td><td class=\"num\">" << seconds(c.done_at) << "</td><td>"
        << (c.accepted ? "accepted" : esc(c.error)) << "</td></tr>\n";
  }
  out << "</table>\n";
}

void verdict_counts(const RunRecord& r, std::ostream& out) {
  out << "<h2>Verdicts</h2><table><tr><th>phase</th>";
  for (const auto kind : oracle::kAllVerdictKinds)
    out << "<th>" << oracle::to_string(kind) << "</th>";
  out << "</tr>\n";
  auto row = [&](const std::string& phase, const std::array<uint64_t, oracle::kVerdictKinds>& c) {
    out << "<tr><td>" << esc(phase) << "</td>";
    for (const auto kind : oracle::kAllVerdictKinds) {
      const auto n = c[static_cast<size_t>(kind)];
      out << "<td class=\"num" << (n && kind == VerdictKind::leak ? " fail" : "") << "\">" << n
          << "</td>";
    }
    out << "</tr>\n";
  };
  for (const auto& p : r.results.phase_verdicts) row(p.phase, p.counts);
  row("whole run", r.results.counts);
  out << "</table>\n";
}

void checks(const RunRecord& r, std::ostream& out) {
  out << "<h2>Checks</h2><table><tr><th>phase</th><th>check</th><th>result</th><th>measured</th>"
         "<th>limit</th><th>detail</th></tr>\n";
  // Failed checks first: the reader came for them.
  std::vector<const oracle::CheckResult*> ordered;
  for (const auto& c : r.results.checks) ordered.push_back(&c);
  std::stable_partition(ordered.begin(), ordered.end(), [](auto* c) { return !c->passed; });
  for (const auto* c : ordered) {
    out << "<tr" << (c->passed ? "" : " class=\"failed\"") << "><td>" << esc(c->phase)
        << "</td><td>" << esc(c->check) << "</td><td class=\"" << (c->passed ? "pass" : "fail")
        << "\">" << (c->passed ? "pass" : "FAIL") << "</td><td class=\"num\">"
        << measured(*c, c->measured) << "</td><td class=\"num\">" << measured(*c, c->limit)
        << "</td><td>" << esc(c->message) << "</td></tr>\n";
  }
  out << "</table>\n";
}

void evidence(const RunRecord& r, const HtmlOptions& options, std::ostream& out) {
  out << "<h2>Evidence</h2>\n";
  if (r.evidence.empty()) {
    out << "<p>Every delivered frame and snapshot was judged OK.</p>\n";
    return;
  }
  std::vector<const Evidence*> ordered;
  for (const auto& e : r.evidence) ordered.push_back(&e);
  std::stable_sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) {
    return severity(a->finding.verdict.kind) < severity(b->finding.verdict.kind);
  });
  out << "<table><tr><th>verdict</th><th>time (s)</th><th>hub / account</th><th>camera / owner"
         "</th><th>seq</th><th>what the account received</th><th>why</th><th>active link faults"
         "</th><th>files</th></tr>\n";
  size_t budget = options.max_embedded_bytes;
  const size_t rows = std::min(ordered.size(), options.max_evidence_rows);
  for (size_t i = 0; i < rows; ++i) {
    const auto& e = *ordered[i];
    const auto& o = e.finding.observation;
    const auto& v = e.finding.verdict;
    const std::string kind(oracle::to_string(v.kind));
    out << "<tr id=\"" << esc(e.id) << "\"><td class=\"kind-" << kind << "\">" << kind
        << "</td><td class=\"num\">" << seconds(o.received_at) << "</td><td>" << esc(o.hub)
        << "<br>" << esc(o.account) << "</td><td>" << esc(v.camera) << "<br>" << esc(v.owner)
        << "</td><td class=\"num\">" << (o.sei ? std::to_string(o.sei->sequence) : "&ndash;")
        << "</td><td>";
    const std::string picture =
        read_picture(options.evidence_root, e.png_path, options.max_picture_bytes, budget);
    if (!picture.empty()) {
      out << "<img class=\"evidence\" alt=\"frame received by " << esc(o.account)
          << "\" src=\"data:image/png;base64," << base64(picture) << "\">";
    } else {
      out << "<span class=\"note\">picture not embedded"
          << (e.png_path.empty() ? " (none saved)" : "") << "</span>";
    }
    out << "</td><td>" << esc(v.reason) << "</td><td>";
    if (e.active_faults.empty()) out << "<span class=\"note\">none</span>";
    for (const auto& f : e.active_faults) out << esc(f) << "<br>";
    out << "</td><td>";
    if (!e.png_path.empty()) out << esc(e.png_path) << "<br>";
    for (const auto& c : e.captures)
      out << esc(c.path) << " <span class=\"note\">" << esc(c.protocol) << ": <code>"
          << esc(c.decode) << "</code></span><br>";
    out << "</td></tr>\n";
  }
  out << "</table>\n";
  if (ordered.size() > rows || r.results.findings_dropped > 0)
    out << "<p class=\"note\">" << ordered.size() - rows + r.results.findings_dropped
        << " more findings are in report.json.</p>\n";
}

void streams(const RunRecord& r, const HtmlOptions& options, std::ostream& out) {
  if (r.results.streams.empty()) return;
  out << "<h2>Streams per phase</h2><table><tr><th>phase</th><th>streams</th><th>lowest "
         "delivered</th><th>longest stall</th><th>freezes</th><th>reorders</th><th>duplicates"
         "</th><th>stale</th></tr>\n";
  struct Summary {
    size_t streams = 0;
    std::optional<double> min_ratio;
    Micros max_stall{0};
    uint64_t freezes = 0, reorders = 0, duplicates = 0, stale = 0;
  };
  std::vector<std::string> order;
  std::map<std::string, Summary> by_phase;
  for (const auto& m : r.results.streams) {
    if (!by_phase.contains(m.phase)) order.push_back(m.phase);
    auto& s = by_phase[m.phase];
    ++s.streams;
    if (m.delivered_ratio) s.min_ratio = std::min(s.min_ratio.value_or(1e18), *m.delivered_ratio);
    s.max_stall = std::max(s.max_stall, m.max_stall);
    s.freezes += m.freezes;
    s.reorders += m.reorders;
    s.duplicates += m.duplicates;
    s.stale += m.stale;
  }
  for (const auto& phase : order) {
    const auto& s = by_phase[phase];
    out << "<tr><td>" << esc(phase) << "</td><td class=\"num\">" << s.streams
        << "</td><td class=\"num\">"
        << (s.min_ratio ? fixed(*s.min_ratio * 100, 1) + "%" : "&ndash;")
        << "</td><td class=\"num\">" << seconds(s.max_stall) << " s</td><td class=\"num\">"
        << s.freezes << "</td><td class=\"num\">" << s.reorders << "</td><td class=\"num\">"
        << s.duplicates << "</td><td class=\"num\">" << s.stale << "</td></tr>\n";
  }
  out << "</table>\n";

  std::vector<const oracle::StreamPhaseMetrics*> worst;
  for (const auto& m : r.results.streams) worst.push_back(&m);
  const size_t n = std::min(worst.size(), options.max_stream_rows);
  std::partial_sort(worst.begin(), worst.begin() + static_cast<ptrdiff_t>(n), worst.end(),
                    [](auto* a, auto* b) { return a->max_stall > b->max_stall; });
  out << "<h2>Worst streams (longest stall)</h2><table><tr><th>phase</th><th>hub</th><th>camera"
         "</th><th>sent</th><th>delivered</th><th>ratio</th><th>longest stall</th><th>freezes"
         "</th><th>freeze time</th></tr>\n";
  for (size_t i = 0; i < n; ++i) {
    const auto& m = *worst[i];
    out << "<tr><td>" << esc(m.phase) << "</td><td>" << esc(m.hub) << "</td><td>" << esc(m.camera)
        << "</td><td class=\"num\">" << m.sent << "</td><td class=\"num\">" << m.delivered
        << "</td><td class=\"num\">"
        << (m.delivered_ratio ? fixed(*m.delivered_ratio * 100, 1) + "%" : "&ndash;")
        << "</td><td class=\"num\">" << seconds(m.max_stall) << " s</td><td class=\"num\">"
        << m.freezes << "</td><td class=\"num\">" << seconds(m.freeze_total) << " s</td></tr>\n";
  }
  out << "</table>\n";
}

void recoveries(const RunRecord& r, std::ostream& out) {
  if (r.results.recoveries.empty()) return;
  struct Summary {
    Micros fault_end{0};
    std::vector<Micros> times;
    size_t unrecovered = 0;
    std::string slowest;
    Micros slowest_time{-1};
    bool slowest_recovered = true;
  };
  std::vector<std::string> order;
  std::map<std::string, Summary> by_fault;
  for (const auto& x : r.results.recoveries) {
    const std::string key = x.fault + " @ " + seconds(x.fault_end) + " s";
    if (!by_fault.contains(key)) order.push_back(key);
    auto& s = by_fault[key];
    if (x.recovered)
      s.times.push_back(x.time);
    else
      ++s.unrecovered;
    // A hub that never recovered is the slowest of all.
    const bool worse = s.slowest.empty() || (!x.recovered && s.slowest_recovered) ||
                       (x.recovered == s.slowest_recovered && x.time > s.slowest_time);
    if (worse) {
      s.slowest = x.hub;
      s.slowest_time = x.time;
      s.slowest_recovered = x.recovered;
    }
  }
  out << "<h2>Recovery after faults</h2><table><tr><th>fault</th><th>hubs</th><th>median</th>"
         "<th>slowest</th><th>never recovered</th></tr>\n";
  for (const auto& key : order) {
    auto& s = by_fault[key];
    std::sort(s.times.begin(), s.times.end());
    const std::string median =
        s.times.empty() ? "&ndash;" : seconds(s.times[s.times.size() / 2]) + " s";
    out << "<tr" << (s.unrecovered ? " class=\"failed\"" : "") << "><td>" << esc(key)
        << "</td><td class=\"num\">" << s.times.size() + s.unrecovered << "</td><td class=\"num\">"
        << median << "</td><td>" << esc(s.slowest) << " (" << seconds(s.slowest_time)
        << " s)</td><td class=\"num\">" << s.unrecovered << "</td></tr>\n";
  }
  out << "</table>\n";
}

void faults(const RunRecord& r, const HtmlOptions& options, std::ostream& out) {
  if (!r.fault_counters.empty()) {
    out << "<h2>Faults injected</h2><table><tr><th>link</th><th>direction</th><th>stage</th>"
           "<th>action</th><th>count</th><th>bytes</th></tr>\n";
    for (const auto& c : r.fault_counters)
      out << "<tr><td>" << esc(c.link) << "</td><td>" << esc(c.direction) << "</td><td>"
          << esc(c.stage) << "</td><td>" << esc(c.action) << "</td><td class=\"num\">" << c.count
          << "</td><td class=\"num\">" << c.bytes << "</td></tr>\n";
    out << "</table>\n";
  }
  out << "<p class=\"note\">" << r.fault_events.size() << " fault events recorded"
      << (r.fault_events_dropped ? " (" + std::to_string(r.fault_events_dropped) + " dropped)" : "")
      << "; all are in report.json.</p>\n";
  if (r.schedule.empty()) return;
  out << "<h2>Schedule</h2><table><tr><th>time (s)</th><th>action</th></tr>\n";
  const size_t n = std::min(r.schedule.size(), options.max_schedule_rows);
  for (size_t i = 0; i < n; ++i)
    out << "<tr><td class=\"num\">" << seconds(r.schedule[i].time) << "</td><td>"
        << esc(r.schedule[i].text) << "</td></tr>\n";
  out << "</table>\n";
  if (n < r.schedule.size())
    out << "<p class=\"note\">" << r.schedule.size() - n << " more entries in report.json.</p>\n";
}

void probes(const RunRecord& r, std::ostream& out) {
  const auto& stats = r.results.probes;
  const auto& granted = r.results.probe_violations;
  if ((stats.empty() || stats.back().total == 0) && granted.empty()) return;
  out << "<h2>Authorization probes</h2><table><tr><th>phase</th><th>probes</th><th>refused</th>"
         "<th>answered ok</th><th>unknown (info)</th><th>failed otherwise</th></tr>\n";
  for (const auto& p : stats) {
    if (p.total == 0) continue;
    out << "<tr" << (p.not_refused ? " class=\"failed\"" : "") << "><td>" << esc(p.phase)
        << "</td><td class=\"num\">" << p.total << "</td><td class=\"num\">" << p.refused
        << "</td><td class=\"num\">" << p.not_refused << "</td><td class=\"num\">" << p.unknown
        << "</td><td class=\"num\">" << p.failed_otherwise << "</td></tr>\n";
  }
  out << "</table>\n";
  if (granted.empty()) return;
  out << "<h3>Probes the SUT granted</h3><ul>\n";
  for (const auto& probe : granted)
    out << "<li class=\"failed\">" << esc(describe_probe(probe)) << "</li>\n";
  out << "</ul>\n";
}

// Per entitled stream, the figures the liveness checks judge (worst first).
void liveness(const RunRecord& r, std::ostream& out) {
  if (r.results.liveness.empty()) return;
  std::vector<const oracle::StreamLiveness*> rows;
  for (const auto& l : r.results.liveness) rows.push_back(&l);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto* a, const auto* b) { return a->max_stall > b->max_stall; });
  out << "<h2>Liveness of entitled streams</h2><table><tr><th>stream</th><th>first frame (s)</th>"
         "<th>delivered outside faults</th><th>longest stall outside faults "
         "(s)</th><th>freezes</th></tr>\n";
  constexpr size_t kMaxRows = 200;
  for (size_t i = 0; i < rows.size() && i < kMaxRows; ++i) {
    const auto& l = *rows[i];
    out << "<tr" << (l.first_frame_missing ? " class=\"failed\"" : "") << "><td>"
        << esc(l.hub + " <- " + l.camera) << "</td><td class=\"num\">"
        << (l.first_frame ? seconds(*l.first_frame) : "-")
        << (l.first_frame_missing ? " (none)" : "") << "</td><td class=\"num\">" << l.delivered
        << " / " << l.sent << "</td><td class=\"num\">" << seconds(l.max_stall)
        << "</td><td class=\"num\">" << l.freezes << "</td></tr>\n";
  }
  out << "</table>\n";
  if (rows.size() > kMaxRows)
    out << "<p class=\"note\">" << rows.size() - kMaxRows << " more streams in report.json.</p>\n";
  if (!r.results.unpublished.empty()) {
    out << "<p class=\"failed\">Cameras that never published:";
    for (const auto& c : r.results.unpublished) out << " " << esc(c);
    out << "</p>\n";
  }
}

// Deviations from the RFCs the clients tolerated: not failures, but a vendor wants to know.
void conformance(const RunRecord& r, std::ostream& out) {
  if (r.conformance.empty()) return;
  out << "<h2>Conformance notes</h2><table><tr><th>deviation tolerated</th><th>times</th><th>first "
         "seen</th></tr>\n";
  for (const auto& n : r.conformance)
    out << "<tr><td>" << esc(n.text) << "</td><td class=\"num\">" << n.count << "</td><td>"
        << esc(n.example) << "</td></tr>\n";
  out << "</table>\n";
}

void revokes(const RunRecord& r, std::ostream& out) {
  if (r.results.revokes.empty()) return;
  out << "<h2>Revoke enforcement</h2><table><tr><th>camera</th><th>account (hub)</th><th>revoked "
         "at (s)</th>"
         "<th>frames after</th><th>kept receiving for (s)</th></tr>\n";
  for (const auto& x : r.results.revokes) {
    out << "<tr" << (x.frames_after ? " class=\"failed\"" : "") << "><td>" << esc(x.camera)
        << "</td><td>" << esc(x.account + " (" + x.hub + ")") << "</td><td class=\"num\">"
        << seconds(x.revoked_at) << "</td><td class=\"num\">" << x.frames_after
        << "</td><td class=\"num\">" << seconds(x.latency) << "</td></tr>\n";
  }
  out << "</table>\n";
}

void fleet_counters(const RunRecord& r, std::ostream& out) {
  if (r.fleet_counters.empty()) return;
  out << "<h2>Fleet counters</h2><table><tr><th>devices</th><th>counter</th><th>total</th></tr>\n";
  for (const auto& c : r.fleet_counters) {
    out << "<tr><td>" << esc(c.devices) << "</td><td>" << esc(c.name) << "</td><td class=\"num\">"
        << c.value << "</td></tr>\n";
  }
  out << "</table>\n";
}

}  // namespace

void HtmlWriter::render(const RunRecord& r, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<title>" << outcome(r) << " &middot; " << esc(r.scenario_name) << " &middot; camleak"
      << "</title><style>" << kStyle << "</style></head>\n<body><main>\n";
  header(r, out);
  out << "<h2>Timeline</h2>\n" << svg_timeline(r, options_.timeline);
  checks(r, out);
  evidence(r, options_, out);
  verdict_counts(r, out);
  probes(r, out);
  sut_calls(r, out);
  revokes(r, out);
  liveness(r, out);
  recoveries(r, out);
  streams(r, options_, out);
  faults(r, options_, out);
  fleet_counters(r, out);
  conformance(r, out);
  out << "<h2>Reproduce</h2><pre>" << esc(r.repro_command) << "</pre>\n";
  out << "<p class=\"note\">Report schema " << kReportSchema << ".</p>\n</main></body></html>\n";
}

}  // namespace camleak::reports
