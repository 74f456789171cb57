#include "reports/json_writer.hpp"

#include <boost/json.hpp>
#include <ostream>

#include "harness/core/json_text.hpp"
#include "reports/text.hpp"

namespace camleak::reports {
namespace {

namespace json = boost::json;

double ms(Micros t) {
  return static_cast<double>(t.count()) / 1e3;
}
json::string str(std::string_view s) {
  return json::string(sanitize_utf8(s));
}

json::array strings(const std::vector<std::string>& list) {
  json::array out;
  for (const auto& s : list) out.push_back(str(s));
  return out;
}

std::string_view kind_name(DeliveryKind kind) {
  return kind == DeliveryKind::snapshot ? "snapshot" : "live_frame";
}

std::string_view status_name(DecodeStatus status) {
  switch (status) {
    case DecodeStatus::ok:
      return "ok";
    case DecodeStatus::corrupt:
      return "corrupt";
    case DecodeStatus::not_media:
      return "not_media";
  }
  return "unknown";
}

json::object observation(const Observation& o) {
  json::object out{{"id", o.id},
                   {"kind", kind_name(o.kind)},
                   {"hub", str(o.hub)},
                   {"account", str(o.account)},
                   {"requested_camera", str(o.requested_camera)},
                   {"probe", o.probe},
                   {"received_at_ms", ms(o.received_at)},
                   {"status", status_name(o.status)}};
  out["pixel_code"] = o.pixel_code ? json::value(*o.pixel_code) : json::value(nullptr);
  out["pixel_camera"] = o.pixel_camera ? json::value(str(*o.pixel_camera)) : json::value(nullptr);
  if (o.sei) {
    out["sei"] = json::object{{"version", o.sei->version},
                              {"camera", str(o.sei->camera)},
                              {"owner", str(o.sei->owner)},
                              {"sequence", o.sei->sequence},
                              {"capture_time_ms", ms(o.sei->capture_time)},
                              {"hmac_valid", o.sei->hmac_valid}};
  } else {
    out["sei"] = nullptr;
  }
  return out;
}

json::array captures(const std::vector<Capture>& list) {
  json::array out;
  for (const auto& c : list)
    out.push_back(json::object{{"path", str(c.path)},
                               {"link", str(c.link)},
                               {"protocol", str(c.protocol)},
                               {"server_port", c.server_port},
                               {"decode", str(c.decode)}});
  return out;
}

json::object evidence(const Evidence& e) {
  const auto& v = e.finding.verdict;
  json::object out{
      {"id", str(e.id)},
      {"verdict", oracle::to_string(v.kind)},
      {"camera", str(v.camera)},
      {"owner", str(v.owner)},
      {"reason", str(v.reason)},
      {"description", str(oracle::describe(e.finding))},
      {"phases", strings(e.finding.phases)},
      {"png", e.png_path.empty() ? json::value(nullptr) : json::value(str(e.png_path))},
      {"captures", captures(e.captures)},
      {"active_faults", strings(e.active_faults)},
      {"observation", observation(e.finding.observation)}};
  out["age_ms"] = v.age ? json::value(ms(*v.age)) : json::value(nullptr);
  return out;
}

json::object metrics(const oracle::StreamPhaseMetrics& m) {
  json::object out{{"hub", str(m.hub)},
                   {"camera", str(m.camera)},
                   {"phase", str(m.phase)},
                   {"sent", m.sent},
                   {"delivered", m.delivered},
                   {"freezes", m.freezes},
                   {"freeze_total_ms", ms(m.freeze_total)},
                   {"max_stall_ms", ms(m.max_stall)},
                   {"reorders", m.reorders},
                   {"duplicates", m.duplicates},
                   {"stale", m.stale}};
  out["delivered_ratio"] =
      m.delivered_ratio ? json::value(*m.delivered_ratio) : json::value(nullptr);
  return out;
}

json::object verdict_counts(const std::array<uint64_t, oracle::kVerdictKinds>& counts) {
  json::object out;
  for (const auto kind : oracle::kAllVerdictKinds)
    out[oracle::to_string(kind)] = counts[static_cast<size_t>(kind)];
  return out;
}

}  // namespace

boost::json::value to_json(const RunRecord& r) {
  json::object root;
  root["schema"] = kReportSchema;
  root["outcome"] = outcome(r);
  root["scenario"] = json::object{{"name", str(r.scenario_name)},
                                  {"description", str(r.scenario_description)},
                                  {"file", str(r.scenario_file)}};
  root["seed"] = r.seed;
  root["started"] = iso8601(r.started);
  root["finished"] = iso8601(r.finished);
  root["duration_ms"] = ms(r.duration);
  root["exit_code"] = exit_code_of(r);

  json::array schedule;
  for (const auto& s : r.schedule)
    schedule.push_back(json::object{{"time_ms", ms(s.time)}, {"text", str(s.text)}});
  root["schedule"] = std::move(schedule);
  json::array phases;
  for (const auto& p : r.phases)
    phases.push_back(
        json::object{{"name", str(p.name)}, {"start_ms", ms(p.start)}, {"end_ms", ms(p.end)}});
  root["phases"] = std::move(phases);
  json::array faults;
  for (const auto& f : r.faults)
    faults.push_back(json::object{{"name", str(f.name)},
                                  {"link", str(f.link)},
                                  {"start_ms", ms(f.start)},
                                  {"end_ms", ms(f.end)}});
  root["faults"] = std::move(faults);
  json::array counters;
  for (const auto& c : r.fault_counters)
    counters.push_back(json::object{{"link", str(c.link)},
                                    {"direction", str(c.direction)},
                                    {"stage", str(c.stage)},
                                    {"action", str(c.action)},
                                    {"count", c.count},
                                    {"bytes", c.bytes}});
  root["fault_counters"] = std::move(counters);
  root["fault_event_columns"] =
      json::array{"time_ms", "link", "connection", "direction", "stage", "action", "bytes"};
  json::array events;
  events.reserve(r.fault_events.size());
  for (const auto& e : r.fault_events)
    events.push_back(json::array{ms(e.time), str(e.link), e.connection, str(e.direction),
                                 str(e.stage), str(e.action), e.bytes});
  root["fault_events"] = std::move(events);
  root["fault_events_dropped"] = r.fault_events_dropped;

  root["verdict_counts"] = verdict_counts(r.results.counts);
  json::array phase_verdicts;
  for (const auto& p : r.results.phase_verdicts)
    phase_verdicts.push_back(json::object{{"phase", str(p.phase)},
                                          {"counts", verdict_counts(p.counts)},
                                          {"max_age_ms", ms(p.max_age)},
                                          {"freshness_ms", ms(p.freshness)}});
  root["phase_verdicts"] = std::move(phase_verdicts);
  json::array evidence_list;
  for (const auto& e : r.evidence) evidence_list.push_back(evidence(e));
  root["evidence"] = std::move(evidence_list);
  root["evidence_dropped"] = r.results.findings_dropped;

  json::array metric_list;
  for (const auto& m : r.results.streams) metric_list.push_back(metrics(m));
  root["metrics"] = std::move(metric_list);
  json::array liveness;
  for (const auto& l : r.results.liveness) {
    json::object o{{"hub", str(l.hub)},
                   {"account", str(l.account)},
                   {"camera", str(l.camera)},
                   {"first_frame_missing", l.first_frame_missing},
                   {"sent", l.sent},
                   {"delivered", l.delivered},
                   {"max_stall_ms", ms(l.max_stall)},
                   {"max_stall_from_ms", ms(l.max_stall_from)},
                   {"freezes", l.freezes},
                   {"freeze_total_ms", ms(l.freeze_total)}};
    o["first_frame_ms"] = l.first_frame ? json::value(ms(*l.first_frame)) : json::value(nullptr);
    o["delivered_ratio"] =
        l.delivered_ratio ? json::value(*l.delivered_ratio) : json::value(nullptr);
    liveness.push_back(std::move(o));
  }
  root["liveness"] = std::move(liveness);
  root["unpublished_cameras"] = strings(r.results.unpublished);
  json::array revokes;
  for (const auto& x : r.results.revokes)
    revokes.push_back(json::object{{"camera", str(x.camera)},
                                   {"account", str(x.account)},
                                   {"hub", str(x.hub)},
                                   {"revoked_ms", ms(x.revoked_at)},
                                   {"frames_after", x.frames_after},
                                   {"enforcement_latency_ms", ms(x.latency)}});
  root["revokes"] = std::move(revokes);
  json::array recoveries;
  for (const auto& x : r.results.recoveries)
    recoveries.push_back(json::object{{"hub", str(x.hub)},
                                      {"fault", str(x.fault)},
                                      {"link", str(x.link)},
                                      {"fault_end_ms", ms(x.fault_end)},
                                      {"recovered", x.recovered},
                                      {"time_ms", ms(x.time)}});
  root["recoveries"] = std::move(recoveries);
  json::array probes;
  for (const auto& p : r.results.probes)
    probes.push_back(json::object{{"phase", str(p.phase)},
                                  {"total", p.total},
                                  {"refused", p.refused},
                                  {"not_refused", p.not_refused},
                                  {"unknown", p.unknown},
                                  {"failed_otherwise", p.failed_otherwise}});
  root["probes"] = std::move(probes);
  json::array violations;
  for (const auto& o : r.results.probe_violations)
    violations.push_back(json::object{{"process", str(o.process)},
                                      {"account", str(o.account)},
                                      {"type", operation_name(o.type)},
                                      {"camera", str(o.camera)},
                                      {"invoked_ms", ms(o.invoked_at)},
                                      {"completed_ms", ms(o.completed_at)},
                                      {"status", o.status_code},
                                      {"detail", str(o.detail)}});
  root["probe_violations"] = std::move(violations);
  json::array operations;
  for (const auto& o : r.results.operations)
    operations.push_back(json::object{{"phase", str(o.phase)},
                                      {"type", operation_name(o.type)},
                                      {"ok", o.ok},
                                      {"fail", o.fail},
                                      {"info", o.info}});
  root["operations"] = std::move(operations);
  json::array checks;
  for (const auto& c : r.results.checks)
    checks.push_back(json::object{{"check", str(c.check)},
                                  {"phase", str(c.phase)},
                                  {"passed", c.passed},
                                  {"measured", c.measured},
                                  {"limit", c.limit},
                                  {"unit", str(c.unit)},
                                  {"message", str(c.message)}});
  root["checks"] = std::move(checks);
  json::array hubs;
  for (const auto& series : r.results.frame_rates) {
    json::array frames;
    frames.reserve(series.frames.size());
    for (const auto f : series.frames) frames.push_back(f);
    hubs.push_back(json::object{{"hub", str(series.hub)}, {"frames", std::move(frames)}});
  }
  root["frame_rates"] =
      json::object{{"bucket_ms", ms(r.results.rate_bucket)}, {"hubs", std::move(hubs)}};
  json::object fleet;
  for (const auto& c : r.fleet_counters) {
    if (!fleet.contains(c.devices)) fleet[c.devices] = json::object{};
    fleet[c.devices].as_object()[c.name] = c.value;
  }
  root["fleet_counters"] = std::move(fleet);
  root["repro"] = str(r.repro_command);
  json::array calls;
  for (const auto& c : r.sut_calls)
    calls.push_back(json::object{{"action", str(c.action)},
                                 {"time_ms", ms(c.time)},
                                 {"sent_ms", ms(c.sent_at)},
                                 {"done_ms", ms(c.done_at)},
                                 {"accepted", c.accepted},
                                 {"error", str(c.error)}});
  root["sut_calls"] = std::move(calls);
  json::array conformance;
  for (const auto& n : r.conformance)
    conformance.push_back(
        json::object{{"note", str(n.text)}, {"count", n.count}, {"example", str(n.example)}});
  root["conformance"] = std::move(conformance);
  root["notes"] = strings(r.notes);
  root["harness_errors"] = strings(r.harness_errors);
  return root;
}

void JsonWriter::render(const RunRecord& record, std::ostream& out) {
  out << json_text(to_json(record)) << '\n';
}

}  // namespace camleak::reports
