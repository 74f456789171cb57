#include "harness/oracle/oracle.hpp"

#include <algorithm>

#include "harness/core/errors.hpp"
#include "harness/oracle/check_evaluator.hpp"
#include "harness/oracle/classifier.hpp"

namespace camleak::oracle {
namespace {

constexpr std::string_view kRunPhase = "run";

bool is_probe(OperationType type) {
  return type == OperationType::probe_play || type == OperationType::probe_snapshot;
}

bool is_refusal(int status) {
  return status == 401 || status == 403 || status == 404;
}

std::vector<Phase> checked_phases(std::vector<Phase> phases) {
  for (size_t i = 0; i < phases.size(); ++i)
    if (phases[i].name == kRunPhase)
      throw InputError(Diagnostic{.field = "phases[" + std::to_string(i) + "].name",
                                  .message = "'run' is reserved for whole-run results"});
  return phases;
}

}  // namespace

Oracle::Oracle(GroundTruth truth, std::vector<Phase> phases, std::vector<FaultWindow> faults,
               Checks checks, OracleOptions options)
    : visibility_(std::move(truth)),
      phases_(checked_phases(std::move(phases))),
      recovery_(faults),
      checks_(std::move(checks)),
      options_(options),
      phase_freshness_(phases_.size()),
      phase_verdicts_(phases_.size()),
      probes_(phases_.size() + 1),
      operations_(phases_.size() + 1) {
  std::vector<Diagnostic> problems;
  for (size_t i = 0; i < checks_.phases.size(); ++i) {
    const auto& pc = checks_.phases[i];
    const std::string field = "checks[" + std::to_string(i) + "]";
    const size_t index = phases_.find(pc.phase);
    if (index == phases_.size()) {
      problems.push_back(
          {.field = field + ".phase", .message = "unknown phase '" + pc.phase + "'"});
      continue;
    }
    if (pc.freshness) {
      if (*pc.freshness <= Micros{0})
        problems.push_back({.field = field + ".freshness", .message = "must be positive"});
      phase_freshness_[index] = pc.freshness;
    }
    if (pc.min_delivered_ratio && (*pc.min_delivered_ratio < 0 || *pc.min_delivered_ratio > 1))
      problems.push_back({.field = field + ".min_delivered_ratio", .message = "must be in [0, 1]"});
    if (pc.max_stall && *pc.max_stall < Micros{0})
      problems.push_back({.field = field + ".max_stall", .message = "must not be negative"});
    if (pc.max_recovery && *pc.max_recovery < Micros{0})
      problems.push_back({.field = field + ".max_recovery", .message = "must not be negative"});
  }
  if (options_.rate_bucket <= Micros{0})
    problems.push_back({.field = "rate_bucket", .message = "must be positive"});
  if (!problems.empty()) throw InputError(std::move(problems));

  for (size_t i = 0; i < phases_.size(); ++i) {
    phase_verdicts_[i].phase = phases_[i].name;
    phase_verdicts_[i].freshness = phase_freshness_[i].value_or(visibility_.truth().freshness);
    probes_[i].phase = phases_[i].name;
  }
  probes_.back().phase = std::string(kRunPhase);
  for (const auto& camera : visibility_.truth().cameras)
    sent_.emplace(camera.name, SentCounter(phases_.size()));
  for (const auto& hub : visibility_.truth().hubs) {
    rates_.try_emplace(hub.name);
    if (checks_.liveness.enabled) add_liveness(hub, faults);
    add_revokes(hub);
  }
}

// Excused time of a stream: every fault on its hub's or camera's path (or on every device),
// extended by the recovery allowance, merged.
void Oracle::add_liveness(const HubTruth& hub, const std::vector<FaultWindow>& faults) {
  for (const auto& camera : hub.watches) {
    if (!visibility_.camera(camera) || liveness_index_[hub.name].contains(camera)) continue;
    std::vector<TimeWindow> excused;
    for (const auto& f : faults) {
      const bool on_path =
          f.devices.empty() ||
          std::find(f.devices.begin(), f.devices.end(), hub.name) != f.devices.end() ||
          std::find(f.devices.begin(), f.devices.end(), camera) != f.devices.end();
      if (on_path) excused.push_back({f.start, f.end + checks_.liveness.fault_recovery});
    }
    std::sort(excused.begin(), excused.end(),
              [](const auto& a, const auto& b) { return a.from < b.from; });
    std::vector<TimeWindow> merged;
    for (const auto& e : excused) {
      if (!merged.empty() && e.from <= merged.back().until)
        merged.back().until = std::max(merged.back().until, e.until);
      else
        merged.push_back(e);
    }
    auto windows = visibility_.entitled_windows(camera, hub.account);
    if (windows.empty()) continue;
    liveness_index_[hub.name][camera] = liveness_.size();
    liveness_of_camera_[camera].push_back(liveness_.size());
    liveness_.push_back(
        {hub.name, hub.account, camera, LivenessTracker(std::move(windows), std::move(merged))});
  }
}

// One entry per share that ends (a revoke) and hub of the sharee that watches the camera.
void Oracle::add_revokes(const HubTruth& hub) {
  for (const auto& share : visibility_.truth().shares) {
    if (share.account != hub.account || !share.until) continue;
    if (std::find(hub.watches.begin(), hub.watches.end(), share.camera) == hub.watches.end())
      continue;
    const auto* camera = visibility_.camera(share.camera);
    if (!camera || camera->owner == hub.account) continue;
    // Entitled again from the next window that starts at or after the revoke, if any.
    Micros again = Micros::max();
    for (const auto& w : visibility_.entitled_windows(share.camera, hub.account)) {
      if (w.from >= *share.until) {
        again = w.from;
        break;
      }
      if (w.from < *share.until && *share.until < w.until) again = *share.until;  // merged: no gap
    }
    if (again == *share.until) continue;  // another share continues it: nothing was revoked
    revokes_of_hub_[hub.name].push_back(revokes_.size());
    revokes_.push_back({.camera = share.camera,
                        .account = hub.account,
                        .hub = hub.name,
                        .revoked_at = *share.until});
    revoke_ends_.push_back(again);
  }
}

void Oracle::track_revokes(const Observation& observation, const Verdict& verdict) {
  const auto it = revokes_of_hub_.find(observation.hub);
  if (it == revokes_of_hub_.end() || verdict.camera.empty()) return;
  const Micros t = observation.received_at;
  for (const size_t i : it->second) {
    auto& r = revokes_[i];
    if (r.camera != verdict.camera || t < r.revoked_at || t >= revoke_ends_[i]) continue;
    ++r.frames_after;
    r.latency = std::max(r.latency, t - r.revoked_at);
  }
}

Micros Oracle::freshness_at(Micros t) const {
  for (size_t i = 0; i < phases_.size(); ++i)
    if (phase_freshness_[i] && phases_[i].contains(t)) return *phase_freshness_[i];
  return visibility_.truth().freshness;
}

Oracle::Stream& Oracle::stream(std::string_view hub, std::string_view account,
                               std::string_view camera, Micros started) {
  auto hub_it = streams_.find(hub);
  if (hub_it == streams_.end())
    hub_it = streams_.emplace(std::string(hub), NameMap<Stream>{}).first;
  auto& cameras = hub_it->second;
  auto it = cameras.find(camera);
  if (it != cameras.end()) return it->second;
  std::vector<uint64_t> baseline(phases_.size(), 0);
  const auto sent = sent_.find(camera);
  if (sent != sent_.end()) baseline = sent->second.sent_before(phases_, started);
  // A camera the scenario does not know (the SUT named it) is expected throughout: its frames
  // are judged elsewhere, and its stream's stalls are still the viewer's experience.
  std::vector<TimeWindow> windows = visibility_.camera(camera)
                                        ? visibility_.entitled_windows(camera, account)
                                        : std::vector<TimeWindow>{TimeWindow{}};
  Stream s{StreamTracker(phases_, started, windows), baseline, {}, 0, true, baseline};
  for (const auto& w : windows) {
    if (w.from <= started && started < w.until) s.paused = false;
    if (w.from > started) s.edges.push_back(w.from);
    if (w.until > started && w.until != Micros::max()) s.edges.push_back(w.until);
  }
  Stream& placed = cameras.emplace(std::string(camera), std::move(s)).first->second;
  // Unordered-map nodes never move, so the pointer stays valid for the oracle's life.
  if (sent != sent_.end() && (placed.paused || !placed.edges.empty()))
    windowed_[std::string(camera)].push_back(&placed);
  return placed;
}

void Oracle::settle_edges(Stream& s, const SentCounter& sent, Micros now) const {
  for (; s.next_edge < s.edges.size() && s.edges[s.next_edge] < now; ++s.next_edge) {
    const std::vector<uint64_t> at_edge = sent.sent_before(phases_, s.edges[s.next_edge]);
    if (!s.paused) {
      s.paused_at = at_edge;
    } else {
      for (size_t i = 0; i < at_edge.size(); ++i)
        s.sent_baseline[i] += at_edge[i] - std::min(at_edge[i], s.paused_at[i]);
    }
    s.paused = !s.paused;
  }
}

void Oracle::plot(std::string_view hub, Micros at) {
  if (at < Micros{0}) return;
  const auto bucket = static_cast<size_t>(at / options_.rate_bucket);
  if (bucket >= options_.max_rate_buckets) return;
  auto it = rates_.find(hub);
  if (it == rates_.end()) it = rates_.emplace(std::string(hub), std::vector<uint32_t>{}).first;
  if (it->second.size() <= bucket) it->second.resize(bucket + 1, 0);
  ++it->second[bucket];
}

Verdict Oracle::judge(const Observation& observation) {
  const Micros t = observation.received_at;
  const Micros freshness = freshness_at(t);
  Verdict verdict = classify(observation, visibility_, freshness);
  if (observation.kind == DeliveryKind::snapshot && verdict.kind == VerdictKind::ok) {
    const auto sent = sent_.find(verdict.camera);
    if (sent != sent_.end() && sent->second.last_sent())
      judge_snapshot_age(verdict, observation, *sent->second.last_sent(), freshness);
  }
  const auto kind_index = static_cast<size_t>(verdict.kind);
  ++counts_[kind_index];
  phases_.for_each_containing(t, [&](size_t i) {
    auto& pv = phase_verdicts_[i];
    ++pv.counts[kind_index];
    if (verdict.age) pv.max_age = std::max(pv.max_age, *verdict.age);
  });
  if (verdict.kind != VerdictKind::ok) {
    if (findings_.size() < options_.max_findings)
      findings_.push_back(Finding{observation, verdict, phases_.names_containing(t)});
    else
      ++findings_dropped_;
  }
  if (observation.probe) return verdict;
  track_revokes(observation, verdict);

  const bool shows_requested = verdict.camera == observation.requested_camera;
  const bool delivered =
      shows_requested && (verdict.kind == VerdictKind::ok || verdict.kind == VerdictKind::stale);
  if (observation.kind == DeliveryKind::live_frame && !observation.requested_camera.empty()) {
    // A stream first seen through a frame started no later than that frame was captured.
    const Micros started = observation.sei && verdict.kind == VerdictKind::ok
                               ? std::min(t, observation.sei->capture_time)
                               : t;
    auto& s = stream(observation.hub, observation.account, observation.requested_camera, started);
    if (delivered) {
      const auto& sei = observation.sei;
      const std::optional<Micros> captured =
          sei ? std::optional<Micros>(sei->capture_time) : std::nullopt;
      const bool advanced =
          s.tracker.on_frame(t, sei ? std::optional<uint64_t>(sei->sequence) : std::nullopt,
                             captured, verdict.kind == VerdictKind::ok);
      if (advanced) {
        const auto hub = liveness_index_.find(observation.hub);
        if (hub != liveness_index_.end()) {
          if (const auto l = hub->second.find(observation.requested_camera); l != hub->second.end())
            liveness_[l->second].tracker.on_new_frame(t, captured);
        }
      }
      plot(observation.hub, t);
    }
  }
  if (verdict.kind == VerdictKind::ok) recovery_.on_ok_delivery(observation.hub, t);
  return verdict;
}

void Oracle::count_probe(const Operation& operation) {
  auto tally = [&](ProbeStats& stats) {
    ++stats.total;
    switch (operation.completion) {
      case CompletionType::ok:
        ++stats.not_refused;
        break;
      case CompletionType::info:
        ++stats.unknown;
        break;
      case CompletionType::fail:
        if (is_refusal(operation.status_code))
          ++stats.refused;
        else
          ++stats.failed_otherwise;
        break;
    }
  };
  phases_.for_each_containing(operation.invoked_at, [&](size_t i) { tally(probes_[i]); });
  tally(probes_.back());
  if (operation.completion == CompletionType::ok &&
      probe_violations_.size() < options_.max_probe_violations)
    probe_violations_.push_back(operation);
}

void Oracle::record(const Operation& operation) {
  const auto type = static_cast<size_t>(operation.type);
  const auto completion = static_cast<size_t>(operation.completion);
  phases_.for_each_containing(operation.invoked_at,
                              [&](size_t i) { ++operations_[i].by_type[type][completion]; });
  ++operations_.back().by_type[type][completion];

  if (is_probe(operation.type)) {
    count_probe(operation);
    return;
  }
  if (operation.type == OperationType::publish && operation.completion == CompletionType::ok)
    published_[operation.camera.empty() ? operation.process : operation.camera] = true;
  // A hub that asks to watch a camera starts a stream, whether or not the SUT obliges: the time
  // until its first frame counts as a stall.
  if (operation.type == OperationType::play && !operation.process.empty() &&
      !operation.camera.empty())
    stream(operation.process, operation.account, operation.camera, operation.invoked_at);
}

void Oracle::record_sent(std::string_view camera, Micros at, uint64_t frames) {
  auto it = sent_.find(camera);
  if (it == sent_.end())
    throw InputError(
        Diagnostic{.field = "camera", .message = "unknown camera '" + std::string(camera) + "'"});
  it->second.add(phases_, at, frames);
  if (const auto l = liveness_of_camera_.find(camera); l != liveness_of_camera_.end())
    for (const size_t i : l->second) liveness_[i].tracker.on_sent(at, frames);
  if (const auto w = windowed_.find(camera); w != windowed_.end())
    for (Stream* s : w->second) settle_edges(*s, it->second, at);
}

void Oracle::add_sent(std::string_view camera, std::string_view phase, uint64_t frames) {
  auto it = sent_.find(camera);
  if (it == sent_.end())
    throw InputError(
        Diagnostic{.field = "camera", .message = "unknown camera '" + std::string(camera) + "'"});
  const size_t index = phases_.find(phase);
  if (index == phases_.size())
    throw InputError(
        Diagnostic{.field = "phase", .message = "unknown phase '" + std::string(phase) + "'"});
  it->second.add_to_phase(index, frames);
}

Results Oracle::finish(Micros run_end) {
  Results results;
  results.run_end = run_end;
  results.counts = counts_;
  results.phase_verdicts = phase_verdicts_;
  results.findings = findings_;
  results.findings_dropped = findings_dropped_;
  results.probe_violations = probe_violations_;
  results.probes = probes_;
  results.recoveries = recovery_.results(run_end);
  results.rate_bucket = options_.rate_bucket;

  for (auto& [hub, cameras] : streams_) {
    for (auto& [camera, s] : cameras) {
      s.tracker.finish(run_end);
      const auto& sent = sent_.find(camera);
      if (sent != sent_.end()) {
        settle_edges(s, sent->second, Micros::max());
        if (s.paused) {  // paused to the end: nothing sent since the pause began is charged
          const auto& total = sent->second.per_phase();
          for (size_t i = 0; i < total.size(); ++i)
            s.sent_baseline[i] += total[i] - std::min(total[i], s.paused_at[i]);
          s.paused = false;
        }
      }
      for (size_t i = 0; i < phases_.size(); ++i) {
        const auto& c = s.tracker.phases()[i];
        if (!c.active) continue;
        StreamPhaseMetrics m{.hub = hub,
                             .camera = camera,
                             .phase = phases_[i].name,
                             .delivered = c.delivered,
                             .freezes = c.freezes,
                             .freeze_total = c.freeze_total,
                             .max_stall = c.max_stall,
                             .reorders = c.reorders,
                             .duplicates = c.duplicates,
                             .stale = c.stale};
        if (sent != sent_.end()) {
          const uint64_t total = sent->second.per_phase()[i];
          m.sent = total - std::min(total, s.sent_baseline[i]);
        }
        if (m.sent > 0)
          m.delivered_ratio = static_cast<double>(m.delivered) / static_cast<double>(m.sent);
        results.streams.push_back(std::move(m));
      }
    }
  }
  std::sort(results.streams.begin(), results.streams.end(), [&](const auto& a, const auto& b) {
    const size_t pa = phases_.find(a.phase), pb = phases_.find(b.phase);
    return std::tie(pa, a.hub, a.camera) < std::tie(pb, b.hub, b.camera);
  });

  for (size_t p = 0; p < operations_.size(); ++p) {
    const std::string phase = p < phases_.size() ? phases_[p].name : std::string(kRunPhase);
    for (size_t type = 0; type < operations_[p].by_type.size(); ++type) {
      const auto& c = operations_[p].by_type[type];
      if (c[0] + c[1] + c[2] == 0) continue;
      results.operations.push_back(
          OperationCounts{.phase = phase,
                          .type = static_cast<OperationType>(type),
                          .ok = c[static_cast<size_t>(CompletionType::ok)],
                          .fail = c[static_cast<size_t>(CompletionType::fail)],
                          .info = c[static_cast<size_t>(CompletionType::info)]});
    }
  }
  for (const auto& [hub, frames] : rates_) results.frame_rates.push_back({hub, frames});
  std::sort(results.frame_rates.begin(), results.frame_rates.end(),
            [](const auto& a, const auto& b) { return a.hub < b.hub; });

  if (checks_.liveness.enabled) {
    results.liveness = liveness_results(run_end);
    for (const auto& camera : visibility_.truth().cameras)
      if (!published_.contains(camera.name)) results.unpublished.push_back(camera.name);
  }
  results.revokes = revokes_;

  results.checks = evaluate_checks(results, checks_, phases_, visibility_.truth().cameras.size(),
                                   visibility_.truth().revoke_grace);
  return results;
}

std::vector<StreamLiveness> Oracle::liveness_results(Micros run_end) const {
  std::vector<StreamLiveness> out;
  for (const auto& l : liveness_) {
    const LivenessFigures f = l.tracker.finish(run_end, checks_.liveness.first_frame);
    StreamLiveness s{.hub = l.hub,
                     .account = l.account,
                     .camera = l.camera,
                     .first_frame = f.first_frame,
                     .first_frame_missing = f.first_frame_missing,
                     .sent = f.sent,
                     .delivered = f.delivered,
                     .max_stall = f.max_stall,
                     .max_stall_from = f.max_stall_from};
    if (f.sent > 0)
      s.delivered_ratio =
          static_cast<double>(std::min(f.delivered, f.sent)) / static_cast<double>(f.sent);
    if (const auto hub = streams_.find(l.hub); hub != streams_.end()) {
      if (const auto st = hub->second.find(l.camera); st != hub->second.end()) {
        for (const auto& c : st->second.tracker.phases()) {
          s.freezes += c.freezes;
          s.freeze_total += c.freeze_total;
        }
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace camleak::oracle
