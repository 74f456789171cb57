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
                     .unit = "count",
                     .findings = kind};
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
                     .unit = "ms",
                     .findings = VerdictKind::stale};
  result.message = std::to_string(stale) + " STALE frame(s); oldest frame delivered " +
                   format_seconds(verdicts.max_age) + " after capture (bound " +
                   format_seconds(verdicts.freshness) + ")";
  return result;
}

CheckResult probes_refused(const Results& results, const std::string& phase) {
  CheckResult result{.check = "probes_refused",
                     .phase = phase,
                     .limit = 0,
                     .unit = "count",
                     .lists_probe_violations = true};
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

std::string stream_name(const StreamLiveness& s) {
  return s.hub + " <- " + s.camera;
}

// A run that judged nothing has proven nothing.
CheckResult frames_judged(const Results& results) {
  uint64_t total = 0;
  for (const auto c : results.counts) total += c;
  CheckResult result{.check = "frames_judged",
                     .phase = "run",
                     .passed = total > 0,
                     .measured = static_cast<double>(total),
                     .limit = 1,
                     .unit = "count"};
  result.message = total > 0 ? std::to_string(total) + " frame(s) and snapshot(s) judged"
                             : "no frame or snapshot reached any hub: nothing was judged";
  return result;
}

CheckResult cameras_published(const Results& results, size_t cameras) {
  CheckResult result{.check = "cameras_published", .phase = "run", .limit = 0, .unit = "count"};
  result.measured = static_cast<double>(results.unpublished.size());
  result.passed = results.unpublished.empty();
  if (result.passed) {
    result.message = "all " + std::to_string(cameras) + " camera(s) published";
    return result;
  }
  result.message = std::to_string(results.unpublished.size()) + " of " + std::to_string(cameras) +
                   " camera(s) never published successfully:";
  for (size_t i = 0; i < results.unpublished.size() && i < 10; ++i)
    result.message += " " + results.unpublished[i];
  if (results.unpublished.size() > 10) result.message += " ...";
  return result;
}

CheckResult time_to_first_frame(const Results& results, Micros limit) {
  CheckResult result{
      .check = "time_to_first_frame", .phase = "run", .limit = to_ms(limit), .unit = "ms"};
  const StreamLiveness* worst = nullptr;
  size_t missing = 0;
  for (const auto& s : results.liveness) {
    missing += s.first_frame_missing;
    if (s.first_frame && (!worst || *s.first_frame > *worst->first_frame)) worst = &s;
  }
  if (!worst) {
    result.message = "no entitled stream lasted long enough to judge";
    return result;
  }
  result.measured = to_ms(*worst->first_frame);
  result.passed = missing == 0 && *worst->first_frame <= limit;
  if (missing > 0)
    result.message = std::to_string(missing) + " entitled stream(s) got no frame; first: ";
  result.message +=
      (worst->first_frame_missing
           ? "no frame on "
           : "slowest first frame " + format_seconds(*worst->first_frame) + " on ") +
      stream_name(*worst) +
      (worst->first_frame_missing ? " for " + format_seconds(*worst->first_frame) : "") +
      " (limit " + format_seconds(limit) + ")";
  return result;
}

CheckResult stall_outside_faults(const Results& results, Micros limit) {
  CheckResult result{
      .check = "max_stall_outside_faults", .phase = "run", .limit = to_ms(limit), .unit = "ms"};
  const StreamLiveness* worst = nullptr;
  for (const auto& s : results.liveness)
    if (!worst || s.max_stall > worst->max_stall) worst = &s;
  if (!worst) {
    result.message = "no entitled stream";
    return result;
  }
  result.measured = to_ms(worst->max_stall);
  result.passed = worst->max_stall <= limit;
  result.message = "longest stall outside fault windows " + format_seconds(worst->max_stall) +
                   " on " + stream_name(*worst) + " from " + format_seconds(worst->max_stall_from) +
                   " (limit " + format_seconds(limit) + ")";
  return result;
}

CheckResult ratio_outside_faults(const Results& results, double limit) {
  CheckResult result{
      .check = "delivered_ratio_outside_faults", .phase = "run", .limit = limit, .unit = "ratio"};
  const StreamLiveness* worst = nullptr;
  for (const auto& s : results.liveness) {
    if (!s.delivered_ratio) continue;
    if (!worst || *s.delivered_ratio < *worst->delivered_ratio) worst = &s;
  }
  if (!worst) {
    result.message = "no camera sent frames to an entitled stream outside fault windows";
    return result;
  }
  result.measured = *worst->delivered_ratio;
  result.passed = *worst->delivered_ratio >= limit;
  result.message = "lowest delivered ratio outside fault windows on " + stream_name(*worst) + ": " +
                   std::to_string(worst->delivered) + " of " + std::to_string(worst->sent) +
                   " frames";
  return result;
}

CheckResult revoke_grace(const Results& results, Micros grace) {
  CheckResult result{.check = "revoke_grace", .phase = "run", .limit = to_ms(grace), .unit = "ms"};
  const RevokeEnforcement* worst = nullptr;
  for (const auto& r : results.revokes)
    if (!worst || r.latency > worst->latency) worst = &r;
  result.measured = to_ms(worst->latency);
  result.passed = worst->latency <= grace && (grace > Micros{0} || worst->frames_after == 0);
  result.message = std::to_string(results.revokes.size()) + " revoke(s); ";
  if (worst->frames_after == 0) {
    result.message += "no hub received a revoked camera after its revoke";
    return result;
  }
  result.message += "slowest enforcement: " + worst->hub + " (account '" + worst->account +
                    "') received " + std::to_string(worst->frames_after) + " frame(s) of " +
                    worst->camera + " up to " + format_seconds(worst->latency) +
                    " after the revoke at " + format_seconds(worst->revoked_at) + " (grace " +
                    format_seconds(grace) + ")";
  return result;
}

}  // namespace

std::vector<CheckResult> evaluate_checks(const Results& results, const Checks& checks,
                                         const PhaseIndex& phases, size_t cameras,
                                         Micros revoke_grace_limit) {
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
  if (checks.liveness.enabled) {
    out.push_back(frames_judged(results));
    out.push_back(cameras_published(results, cameras));
    out.push_back(time_to_first_frame(results, checks.liveness.first_frame));
    out.push_back(stall_outside_faults(results, checks.liveness.max_stall));
    out.push_back(ratio_outside_faults(results, checks.liveness.min_delivered_ratio));
  }
  if (!results.revokes.empty()) out.push_back(revoke_grace(results, revoke_grace_limit));
  return out;
}

}  // namespace camleak::oracle
