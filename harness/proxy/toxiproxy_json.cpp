#include "harness/proxy/toxiproxy_json.hpp"

#include "harness/core/errors.hpp"
#include "harness/proxy/toxic_body.hpp"

namespace camleak::proxy {
namespace json = boost::json;
namespace {

[[noreturn]] void bad(const std::string& message) {
  throw ApiError(400, "bad request body: " + message);
}

const json::object& as_object(const json::value& v, const std::string& what) {
  if (!v.is_object()) bad(what + " must be a JSON object");
  return v.get_object();
}

std::string string_field(const json::object& o, const char* key, const std::string& fallback) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_string()) bad(std::string(key) + " must be a string");
  return std::string(v->get_string());
}

json::value ms_json(Micros t) {
  if (t.count() % 1000 == 0) return json::value(t.count() / 1000);
  return json::value(static_cast<double>(t.count()) / 1000.0);
}

}  // namespace

json::value parse_body(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) bad(ec.message());
  return v;
}

json::value to_json(const impair::AttributeValue& value) {
  return std::visit([](const auto& v) { return json::value(v); }, value);
}

json::object toxic_json(const impair::StageSpec& spec) {
  json::object attributes;
  for (const auto& [key, value] : spec.attributes) attributes[key] = to_json(value);
  json::object out{{"name", spec.name},
                   {"type", spec.type},
                   {"stream", std::string(impair::to_string(spec.direction))},
                   {"toxicity", spec.toxicity},
                   {"attributes", std::move(attributes)}};
  using Mode = impair::Targeting::Mode;
  const auto& t = spec.targeting;
  if (t.mode != Mode::all) {
    json::object target;
    switch (t.mode) {
      case Mode::indices: {
        json::array indices;
        for (auto i : t.indices) indices.push_back(i);
        target = {{"mode", "indices"}, {"indices", std::move(indices)}};
        break;
      }
      case Mode::fraction:
        target = {{"mode", "fraction"}, {"fraction", t.fraction}};
        break;
      case Mode::first_n:
        target = {{"mode", "first_n"}, {"n", t.n}};
        break;
      case Mode::nth:
        target = {{"mode", "nth"}, {"n", t.n}};
        break;
      case Mode::all:
        break;
    }
    out["targeting"] = std::move(target);
  }
  if (spec.window.start || spec.window.stop) {
    json::object window;
    if (spec.window.start) window["start"] = ms_json(*spec.window.start);
    if (spec.window.stop) window["stop"] = ms_json(*spec.window.stop);
    out["window"] = std::move(window);
  }
  return out;
}

json::object proxy_json(const LinkInfo& link) {
  json::array toxics;
  for (const auto& spec : link.stages) toxics.push_back(toxic_json(spec));
  return {{"name", link.name},
          {"listen", link.listen},
          {"upstream", link.upstream},
          {"enabled", link.enabled},
          {"protocol", std::string(to_string(link.protocol))},
          {"toxics", std::move(toxics)}};
}

namespace {
json::object direction_json(const DirectionStats& d) {
  json::array buckets;
  for (const auto& b : d.delay.buckets()) {
    buckets.push_back(json::object{{"le_us", b.upper.count()}, {"count", b.count}});
  }
  return {{"bytes_in", d.bytes_in},
          {"bytes_out", d.bytes_out},
          {"packets_out", d.packets_out},
          {"overflow_drops", d.overflow_drops},
          {"delay_us", json::object{{"count", d.delay.count()},
                                    {"min", d.delay.min().count()},
                                    {"mean", d.delay.mean_us()},
                                    {"p50", d.delay.percentile(50).count()},
                                    {"p90", d.delay.percentile(90).count()},
                                    {"p99", d.delay.percentile(99).count()},
                                    {"max", d.delay.max().count()},
                                    {"buckets", std::move(buckets)}}}};
}
}  // namespace

json::object stats_json(const LinkStats& stats) {
  json::array stages;
  for (const auto& s : stats.stages) {
    json::object counters;
    for (const auto& [action, count] : s.counters) counters[action] = count;
    stages.push_back(json::object{{"name", s.name},
                                  {"type", s.type},
                                  {"stream", std::string(impair::to_string(s.direction))},
                                  {"counters", std::move(counters)}});
  }
  return {{"name", stats.name},
          {"connections_total", stats.connections_total},
          {"connections_active", stats.connections_active},
          {"upstream_failures", stats.upstream_failures},
          {"resets", stats.resets},
          {"closed_by_disable", stats.closed_by_disable},
          {"upstream", direction_json(stats.upstream)},
          {"downstream", direction_json(stats.downstream)},
          {"toxics", std::move(stages)}};
}

json::object event_json(const FaultEvent& e) {
  return {{"time_us", e.time.count()}, {"link", e.link},   {"connection", e.connection},
          {"direction", e.direction},  {"stage", e.stage}, {"action", e.action},
          {"bytes", e.bytes}};
}

ProxyInput parse_proxy(const json::value& body) {
  const auto& o = as_object(body, "proxy");
  ProxyInput in;
  in.name = string_field(o, "name", "");
  in.listen = string_field(o, "listen", "");
  in.upstream = string_field(o, "upstream", "");
  if (const auto* e = o.if_contains("enabled"); e && !e->is_null()) {
    if (!e->is_bool()) bad("enabled must be true or false");
    in.enabled = e->get_bool();
  }
  if (const auto* p = o.if_contains("protocol"); p && !p->is_null()) {
    if (!p->is_string()) bad("protocol must be \"tcp\" or \"udp\"");
    try {
      in.protocol = parse_protocol(p->get_string());
    } catch (const InputError& e) {
      bad(e.what());
    }
  }
  return in;
}

namespace {

// The Toxiproxy API answers the first problem; its own words where clients may match them.
[[noreturn]] void refuse(const Diagnostic& problem) {
  if (problem.field == "stream") {
    throw ApiError(400, "stream was invalid, can be either upstream or downstream");
  }
  throw ApiError(400, "bad request body: " + problem.format());
}

}  // namespace

impair::StageSpec parse_toxic(const json::value& body) {
  std::vector<Diagnostic> problems;
  impair::StageSpec spec = read_toxic(body, {}, problems);
  const bool whole_body_bad = !problems.empty() && problems.front().field.empty();
  if (spec.type.empty() && !whole_body_bad) throw ApiError(400, "invalid toxic type");
  if (!problems.empty()) refuse(problems.front());
  return spec;
}

StageUpdate parse_toxic_update(const json::value& body) {
  std::vector<Diagnostic> problems;
  StageUpdate update = read_toxic_update(body, {}, problems);
  if (!problems.empty()) refuse(problems.front());
  return update;
}

}  // namespace camleak::proxy
