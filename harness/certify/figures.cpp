#include "harness/certify/figures.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace camleak::certify {
namespace {

namespace json = boost::json;
using oracle::VerdictKind;

double ms(Micros t) {
  return static_cast<double>(t.count()) / 1000.0;
}

void worst(std::optional<double>& slot, double value, bool higher_is_worse = true) {
  if (!slot || (higher_is_worse ? value > *slot : value < *slot)) slot = value;
}

json::value optional_number(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

std::optional<double> number_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return v->to_number<double>();
}

uint64_t count_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v == nullptr ? 0 : v->to_number<uint64_t>();
}

}  // namespace

RunFigures figures_of(const reports::RunRecord& record) {
  RunFigures f;
  const auto& r = record.results;
  for (size_t k = 0; k < r.counts.size(); ++k) f.frames_checked += r.counts[k];
  f.leaks = r.count(VerdictKind::leak);
  f.splices = r.count(VerdictKind::splice);
  f.forgeries = r.count(VerdictKind::forged);
  f.stale = r.count(VerdictKind::stale);
  f.unverifiable = r.count(VerdictKind::unverifiable);
  for (const auto& s : r.liveness) {
    if (s.first_frame) worst(f.worst_first_frame_ms, ms(*s.first_frame));
    worst(f.worst_stall_ms, ms(s.max_stall));
    if (s.delivered_ratio) worst(f.worst_delivered_ratio, *s.delivered_ratio, false);
  }
  for (const auto& p : r.probes) {
    if (p.phase != "run") continue;
    f.probes = p.total;
    f.probes_refused = p.refused;
    f.probe_violations = p.not_refused;
    f.probes_unknown = p.unknown;
  }
  for (const auto& revoke : r.revokes) worst(f.worst_revoke_latency_ms, ms(revoke.latency));
  for (const auto& call : record.sut_calls) f.sut_calls_refused += !call.accepted;
  return f;
}

json::value to_json(const RunFigures& f) {
  return json::object{{"frames_checked", f.frames_checked},
                      {"leaks", f.leaks},
                      {"splices", f.splices},
                      {"forgeries", f.forgeries},
                      {"stale", f.stale},
                      {"unverifiable", f.unverifiable},
                      {"worst_first_frame_ms", optional_number(f.worst_first_frame_ms)},
                      {"worst_stall_ms", optional_number(f.worst_stall_ms)},
                      {"worst_delivered_ratio", optional_number(f.worst_delivered_ratio)},
                      {"probes", f.probes},
                      {"probes_refused", f.probes_refused},
                      {"probe_violations", f.probe_violations},
                      {"probes_unknown", f.probes_unknown},
                      {"worst_revoke_latency_ms", optional_number(f.worst_revoke_latency_ms)},
                      {"sut_calls_refused", f.sut_calls_refused}};
}

RunFigures figures_from_json(const json::value& value) {
  const auto& o = value.as_object();
  RunFigures f;
  f.frames_checked = count_at(o, "frames_checked");
  f.leaks = count_at(o, "leaks");
  f.splices = count_at(o, "splices");
  f.forgeries = count_at(o, "forgeries");
  f.stale = count_at(o, "stale");
  f.unverifiable = count_at(o, "unverifiable");
  f.worst_first_frame_ms = number_at(o, "worst_first_frame_ms");
  f.worst_stall_ms = number_at(o, "worst_stall_ms");
  f.worst_delivered_ratio = number_at(o, "worst_delivered_ratio");
  f.probes = count_at(o, "probes");
  f.probes_refused = count_at(o, "probes_refused");
  f.probe_violations = count_at(o, "probe_violations");
  f.probes_unknown = count_at(o, "probes_unknown");
  f.worst_revoke_latency_ms = number_at(o, "worst_revoke_latency_ms");
  f.sut_calls_refused = count_at(o, "sut_calls_refused");
  return f;
}

SeedRun seed_run_of(uint64_t seed, const reports::RunRecord& record, int exit_code,
                    std::string report_dir) {
  SeedRun run{.seed = seed,
              .exit_code = exit_code,
              .verdict = exit_code == 0   ? "PASS"
                         : exit_code == 1 ? "FAIL"
                                          : "ERROR",
              .report_dir = std::move(report_dir),
              .problems = {},
              .figures = figures_of(record)};
  for (const auto& c : record.results.checks)
    if (!c.passed) run.problems.push_back(c.check + " [" + c.phase + "]: " + c.message);
  for (const auto& e : record.harness_errors) run.problems.push_back("harness: " + e);
  return run;
}

json::value to_json(const SeedRun& run) {
  json::array problems;
  for (const auto& p : run.problems) problems.push_back(json::value(p));
  return json::object{{"seed", run.seed},       {"exit_code", run.exit_code},
                      {"verdict", run.verdict}, {"report", run.report_dir},
                      {"problems", problems},   {"figures", to_json(run.figures)}};
}

SeedRun seed_run_from_json(const json::value& value) {
  const auto& o = value.as_object();
  SeedRun run;
  run.seed = o.at("seed").to_number<uint64_t>();
  run.exit_code = static_cast<int>(o.at("exit_code").to_number<int64_t>());
  run.verdict = std::string(o.at("verdict").as_string());
  run.report_dir = std::string(o.at("report").as_string());
  for (const auto& p : o.at("problems").as_array()) run.problems.emplace_back(p.as_string());
  run.figures = figures_from_json(o.at("figures"));
  return run;
}

}  // namespace camleak::certify
