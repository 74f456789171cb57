#include "harness/proxy/toxiproxy_json.hpp"

#include "harness/core/errors.hpp"
#include "harness/core/units.hpp"

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

double number_of(const json::value& v, const std::string& field) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  bad(field + " must be a number");
}

uint64_t count_of(const json::value& v, const std::string& field) {
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<uint64_t>(v.get_int64());
  if (v.is_uint64()) return v.get_uint64();
  bad(field + " must be a non-negative integer");
}

impair::Direction parse_stream(const std::string& stream) {
  if (stream == "upstream") return impair::Direction::upstream;
  if (stream == "downstream") return impair::Direction::downstream;
  throw ApiError(400, "stream was invalid, can be either upstream or downstream");
}

impair::Attributes parse_attributes(const json::value& v) {
  const auto& o = as_object(v, "attributes");
  impair::Attributes out;
  for (const auto& [key, value] : o) {
    const std::string name(key);
    if (value.is_int64()) {
      out[name] = value.get_int64();
    } else if (value.is_uint64()) {
      // Past INT64_MAX a cast would wrap to a negative number; as a double the registry reports
      // it out of range.
      out[name] = static_cast<double>(value.get_uint64());
    } else if (value.is_double()) {
      out[name] = value.get_double();
    } else if (value.is_bool()) {
      out[name] = value.get_bool();
    } else if (value.is_string()) {
      out[name] = std::string(value.get_string());
    } else {
      bad("attributes." + name + " must be a number, boolean or string");
    }
  }
  return out;
}

Micros window_time(const json::value& v, const std::string& field) {
  if (v.is_string()) {
    try {
      return units::parse_duration(v.get_string());
    } catch (const std::invalid_argument& e) {
      bad(field + ": " + e.what());
    }
  }
  try {
    return units::duration_from_ms(number_of(v, field));
  } catch (const std::invalid_argument& e) {
    bad(field + ": " + e.what());
  }
}

double toxicity_of(const json::value& v) {
  const double t = number_of(v, "toxicity");
  if (!(t >= 0.0 && t <= 1.0)) bad("toxicity must be between 0 and 1");
  return t;
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

impair::Targeting parse_targeting(const json::value& value) {
  const auto& o = as_object(value, "targeting");
  using Mode = impair::Targeting::Mode;
  impair::Targeting t;
  const std::string mode = string_field(o, "mode", "all");
  if (mode == "all") {
    t.mode = Mode::all;
  } else if (mode == "indices") {
    t.mode = Mode::indices;
    const auto* list = o.if_contains("indices");
    if (!list || !list->is_array()) bad("targeting.indices must be an array of integers");
    for (const auto& i : list->get_array()) t.indices.push_back(count_of(i, "targeting.indices"));
  } else if (mode == "fraction") {
    t.mode = Mode::fraction;
    const auto* f = o.if_contains("fraction");
    if (!f) bad("targeting.fraction is missing");
    t.fraction = number_of(*f, "targeting.fraction");
  } else if (mode == "first_n" || mode == "nth") {
    t.mode = mode == "nth" ? Mode::nth : Mode::first_n;
    const auto* n = o.if_contains("n");
    if (!n) bad("targeting.n is missing");
    t.n = count_of(*n, "targeting.n");
  } else {
    bad("targeting.mode must be one of all, indices, fraction, first_n, nth; got \"" + mode + "\"");
  }
  return t;
}

impair::Window parse_window(const json::value& value) {
  const auto& o = as_object(value, "window");
  impair::Window w;
  if (const auto* s = o.if_contains("start"); s && !s->is_null()) {
    w.start = window_time(*s, "window.start");
  }
  if (const auto* s = o.if_contains("stop"); s && !s->is_null()) {
    w.stop = window_time(*s, "window.stop");
  }
  return w;
}

impair::StageSpec parse_toxic(const json::value& body) {
  const auto& o = as_object(body, "toxic");
  impair::StageSpec spec;
  spec.type = string_field(o, "type", "");
  if (spec.type.empty()) throw ApiError(400, "invalid toxic type");
  spec.direction = parse_stream(string_field(o, "stream", "downstream"));
  spec.name = string_field(o, "name", "");
  if (const auto* t = o.if_contains("toxicity"); t && !t->is_null())
    spec.toxicity = toxicity_of(*t);
  if (const auto* a = o.if_contains("attributes"); a && !a->is_null()) {
    spec.attributes = parse_attributes(*a);
  }
  if (const auto* t = o.if_contains("targeting"); t && !t->is_null()) {
    spec.targeting = parse_targeting(*t);
  }
  if (const auto* w = o.if_contains("window"); w && !w->is_null()) spec.window = parse_window(*w);
  return spec;
}

StageUpdate parse_toxic_update(const json::value& body) {
  const auto& o = as_object(body, "toxic");
  StageUpdate u;
  if (const auto* a = o.if_contains("attributes"); a && !a->is_null()) {
    u.attributes = parse_attributes(*a);
  }
  if (const auto* t = o.if_contains("toxicity"); t && !t->is_null()) u.toxicity = toxicity_of(*t);
  if (const auto* t = o.if_contains("targeting"); t && !t->is_null()) {
    u.targeting = parse_targeting(*t);
  }
  if (const auto* w = o.if_contains("window"); w && !w->is_null()) u.window = parse_window(*w);
  return u;
}

}  // namespace camleak::proxy
