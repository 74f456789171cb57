#include "harness/oracle/check_evaluator.hpp"

#include <algorithm>

namespace camleak::oracle {
namespace {

double to_ms(Micros d) {
  return static_cast<double>(d.count()) / 1e3;
}

const Finding* first_finding(const Results& results, VerdictKind kind, const std::string* phase) {
  for (const auto& finding : results.findings) {
    if (finding.verdict.kind != kind) continue;
    if (!phase ||
        std::find(finding.phases.begin(), finding.phases.end(), *phase) != finding.phases.end())
      return &finding;
  }
  return nullptr;
}

CheckResult zero_of(const Results& results, VerdictKind kind, const std::string& check,
                    const std::string& phase, uint64_t count) {
  CheckResult result{.check = check,
                     .phase = phase,
                     .passed = count == 0,
                     .measured = static_cast<double>(count),
                     .limit = 0,
                     .unit = "count"};
  if (count == 0) {
    result.message = "no " + std::string(to_string(kind)) + " verdicts";
    return result;
  }
  result.message = std::to_string(count) + " " + std::string(to_string(kind)) + " verdict(s)";
  const Finding* first = first_finding(results, kind, phase == "run" ? nullptr : &phase);
  if (first) result.message += "; first: " + describe(*first);
  return result;
}

std::string stream_name(const StreamPhaseMetrics& m) {
  return m.hub + " <- " + m.camera;
}

CheckResult max_stall(const Results& results, const std::string& phase, Micros limit) {
  CheckResult result{.check = "max_stall", .phase = phase, .limit = to_ms(limit), .unit = "ms"};
  const StreamPhaseMetrics* worst = nullptr;
  for (const auto& m : results.streams)
    if (m.phase == phase && (!worst || m.max_stall > worst->max_stall)) worst = &m;
  if (!worst) {
    result.message = "no live stream was active in this phase";
    return result;
  }
  result.measured = to_ms(worst->max_stall);
  result.passed = worst->max_stall <= limit;
  result.message = "longest stall " + format_seconds(worst->max_stall) + " on " +
                   stream_name(*worst) + " (limit " + format_seconds(limit) + ")";
  return result;
}

CheckResult max_recovery(const Results& results, const Phase& phase, Micros limit) {
  CheckResult result{
      .check = "max_recovery", .phase = phase.name, .limit = to_ms(limit), .unit = "ms"};
  const Recovery* worst = nullptr;
  for (const auto& r : results.recoveries) {
    if (!phase.contains(r.fault_end)) continue;
    const bool worse = !worst || (!r.recovered && worst->recovered) ||
                       (r.recovered == worst->recovered && r.time > worst->time);
    if (worse) worst = &r;
  }
  if (!worst) {
    result.message = "no fault ended in this phase";
    return result;
  }
  result.measured = to_ms(worst->time);
  result.passed = worst->recovered && worst->time <= limit;
  result.message = worst->recovered
                       ? "slowest recovery " + format_seconds(worst->time) + " by hub " +
                             worst->hub + " after '" + worst->fault + "'"
                       : "hub " + worst->hub + " never recovered after '" + worst->fault +
                             "' (waited " + format_seconds(worst->time) + " to the end of the run)";
  result.message += " (limit " + format_seconds(limit) + ")";
  return result;
}

CheckResult min_delivered_ratio(const Results& results, const std::string& phase, double limit) {
  CheckResult result{
      .check = "min_delivered_ratio", .phase = phase, .limit = limit, .unit = "ratio"};
  const StreamPhaseMetrics* worst = nullptr;
  for (const auto& m : results.streams) {
    if (m.phase != phase || !m.delivered_ratio) continue;
    if (!worst || *m.delivered_ratio < *worst->delivered_ratio) worst = &m;
  }
  if (!worst) {
    result.message = "no camera sent frames to a live stream in this phase";
    return result;
  }
  result.measured = *worst->delivered_ratio;
  result.passed = *worst->delivered_ratio >= limit;
  result.message = "lowest delivered ratio on " + stream_name(*worst) + ": " +
                   std::to_string(worst->delivered) + " of " + std::to_string(worst->sent) +
                   " frames";
  return result;
}

CheckResult freshness(const PhaseVerdicts& verdicts) {
  const uint64_t stale = verdicts.count(VerdictKind::stale);
  CheckResult result{.check = "freshness",
                     .phase = verdicts.phase,
                     .passed = stale == 0,
                     .measured = to_ms(verdicts.max_age),
                     .limit = to_ms(verdicts.freshness),
                     .unit = "ms"};
  result.message = std::to_string(stale) + " STALE frame(s); oldest frame delivered " +
                   format_seconds(verdicts.max_age) + " after capture (bound " +
                   format_seconds(verdicts.freshness) + ")";
  return result;
}

CheckResult probes_refused(const Results& results, const std::string& phase) {
  CheckResult result{.check = "probes_refused", .phase = phase, .limit = 0, .unit = "count"};
  const auto it = std::find_if(results.probes.begin(), results.probes.end(),
                               [&](const ProbeStats& p) { return p.phase == phase; });
  const ProbeStats stats = it == results.probes.end() ? ProbeStats{.phase = phase} : *it;
  result.measured = static_cast<double>(stats.not_refused);
  result.passed = stats.not_refused == 0;
  result.message = std::to_string(stats.total) + " probe(s): " + std::to_string(stats.refused) +
                   " refused, " + std::to_string(stats.not_refused) + " answered ok, " +
                   std::to_string(stats.unknown) + " outcome unknown (not judged), " +
                   std::to_string(stats.failed_otherwise) + " failed otherwise";
  if (stats.total == 0) result.message = "no authorization probe was made in this phase";
  return result;
}

}  // namespace

std::vector<CheckResult> evaluate_checks(const Results& results, const Checks& checks,
                                         const PhaseIndex& phases) {
  std::vector<CheckResult> out;
  for (const auto& verdicts : results.phase_verdicts)
    out.push_back(zero_of(results, VerdictKind::leak, "no_leaks", verdicts.phase,
                          verdicts.count(VerdictKind::leak)));
  out.push_back(
      zero_of(results, VerdictKind::leak, "no_leaks", "run", results.count(VerdictKind::leak)));
  if (checks.integrity) {
    out.push_back(zero_of(results, VerdictKind::splice, "no_splices", "run",
                          results.count(VerdictKind::splice)));
    out.push_back(zero_of(results, VerdictKind::forged, "no_forgeries", "run",
                          results.count(VerdictKind::forged)));
  }
  for (const auto& phase_checks : checks.phases) {
    const size_t index = phases.find(phase_checks.phase);
    const Phase& phase = phases[index];
    if (phase_checks.max_stall)
      out.push_back(max_stall(results, phase.name, *phase_checks.max_stall));
    if (phase_checks.max_recovery)
      out.push_back(max_recovery(results, phase, *phase_checks.max_recovery));
    if (phase_checks.min_delivered_ratio)
      out.push_back(min_delivered_ratio(results, phase.name, *phase_checks.min_delivered_ratio));
    if (phase_checks.freshness) out.push_back(freshness(results.phase_verdicts[index]));
    if (phase_checks.probes_refused) out.push_back(probes_refused(results, phase.name));
  }
  return out;
}

}  // namespace camleak::oracle
