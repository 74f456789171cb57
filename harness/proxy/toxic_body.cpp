#include "harness/proxy/toxic_body.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "harness/core/suggest.hpp"
#include "harness/core/units.hpp"

namespace camleak::proxy {
namespace json = boost::json;
namespace {

const std::vector<std::string> kToxicKeys{"name",       "type",      "stream", "toxicity",
                                          "attributes", "targeting", "window"};
const std::vector<std::string> kTargetingKeys{"mode", "indices", "fraction", "n"};
const std::vector<std::string> kWindowKeys{"start", "stop"};

class BodyReader {
 public:
  BodyReader(const ToxicReading& how, std::vector<Diagnostic>& problems)
      : how_(how), problems_(problems) {}

  void problem(std::string field, std::string message) {
    problems_.push_back({.field = std::move(field), .message = std::move(message)});
  }

  // The object `value` holds, with its keys checked against `known` (unless null: an
  // attributes map's keys are the registry's to judge); nullptr after a problem.
  const json::object* object(const json::value& value, const std::string& field,
                             const std::vector<std::string>* known) {
    if (!value.is_object()) {
      problem(field, "must be an object (a map of keys to values)");
      return nullptr;
    }
    const json::object& o = value.get_object();
    if (known != nullptr && how_.unknown_keys == ToxicReading::UnknownKeys::report) {
      for (const auto& [key, unused] : o) {
        const std::string name(key);
        if (std::find(known->begin(), known->end(), name) != known->end()) continue;
        problem(prefixed(field, name), "unknown field" + did_you_mean(name, *known));
      }
    }
    return &o;
  }

  // The value of `key`, or nullptr when it is absent or null (Toxiproxy treats both alike).
  static const json::value* present(const json::object& o, const char* key) {
    const json::value* v = o.if_contains(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }

  std::optional<std::string> text(const json::value& v, const std::string& field) {
    if (v.is_string()) return std::string(v.get_string());
    problem(field, "must be a string");
    return std::nullopt;
  }

  std::optional<double> number(const json::value& v, const std::string& field) {
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    if (v.is_double()) return v.get_double();
    problem(field, "must be a number");
    return std::nullopt;
  }

  std::optional<uint64_t> count(const json::value& v, const std::string& field) {
    if (v.is_int64() && v.get_int64() >= 0) return static_cast<uint64_t>(v.get_int64());
    if (v.is_uint64()) return v.get_uint64();
    problem(field, "must be a non-negative integer");
    return std::nullopt;
  }

  // Milliseconds as a number, or a duration string ("1.5s"); both range-checked.
  std::optional<Micros> time(const json::value& v, const std::string& field) {
    try {
      if (v.is_string()) return units::parse_duration(v.get_string());
      if (const auto ms = number(v, field)) return units::duration_from_ms(*ms);
    } catch (const std::invalid_argument& e) {
      problem(field, e.what());
    }
    return std::nullopt;
  }

  std::optional<impair::Direction> stream(const json::value& v) {
    const auto name = text(v, "stream");
    if (!name) return std::nullopt;
    if (*name == "upstream") return impair::Direction::upstream;
    if (*name == "downstream") return impair::Direction::downstream;
    problem("stream", "must be upstream or downstream, got \"" + *name + "\"");
    return std::nullopt;
  }

  std::optional<double> toxicity(const json::value& v) {
    const auto t = number(v, "toxicity");
    if (t && !(*t >= 0.0 && *t <= 1.0)) {
      problem("toxicity", "must be between 0 and 1");
      return std::nullopt;
    }
    return t;
  }

  std::optional<impair::Attributes> attributes(const json::value& v) {
    const json::object* o = object(v, "attributes", nullptr);
    if (!o) return std::nullopt;
    impair::Attributes out;
    const size_t before = problems_.size();
    for (const auto& [key, value] : *o) {
      const std::string name(key);
      if (value.is_int64()) {
        out[name] = value.get_int64();
      } else if (value.is_uint64()) {
        // Past INT64_MAX a cast would wrap to a negative number; as a double the registry
        // reports it out of range.
        out[name] = static_cast<double>(value.get_uint64());
      } else if (value.is_double()) {
        out[name] = value.get_double();
      } else if (value.is_bool()) {
        out[name] = value.get_bool();
      } else if (value.is_string()) {
        out[name] = std::string(value.get_string());
      } else {
        problem("attributes." + name, "must be a number, boolean or string");
      }
    }
    if (problems_.size() != before) return std::nullopt;
    return out;
  }

  std::optional<impair::Targeting> targeting(const json::value& v) {
    using Mode = impair::Targeting::Mode;
    const json::object* o = object(v, "targeting", &kTargetingKeys);
    if (!o) return std::nullopt;
    impair::Targeting t;
    std::string mode = "all";
    if (const auto* m = present(*o, "mode")) {
      const auto name = text(*m, "targeting.mode");
      if (!name) return std::nullopt;
      mode = *name;
    }
    if (mode == "all") {
      t.mode = Mode::all;
    } else if (mode == "indices") {
      t.mode = Mode::indices;
      const auto* list = present(*o, "indices");
      if (!list || !list->is_array()) {
        problem("targeting.indices", "must be a list of connection indices");
        return std::nullopt;
      }
      const auto& items = list->get_array();
      for (size_t i = 0; i < items.size(); ++i) {
        const auto index = count(items[i], "targeting.indices[" + std::to_string(i) + "]");
        if (!index) return std::nullopt;
        t.indices.push_back(*index);
      }
    } else if (mode == "fraction") {
      t.mode = Mode::fraction;
      const auto* f = present(*o, "fraction");
      if (!f) return missing("targeting.fraction");
      const auto fraction = number(*f, "targeting.fraction");
      if (!fraction) return std::nullopt;
      t.fraction = *fraction;
    } else if (mode == "first_n" || mode == "nth") {
      t.mode = mode == "nth" ? Mode::nth : Mode::first_n;
      const auto* n = present(*o, "n");
      if (!n) return missing("targeting.n");
      const auto value = count(*n, "targeting.n");
      if (!value) return std::nullopt;
      t.n = *value;
    } else {
      problem("targeting.mode",
              "must be one of all, indices, fraction, first_n, nth; got \"" + mode + "\"");
      return std::nullopt;
    }
    return t;
  }

  std::optional<impair::Window> window(const json::value& v) {
    const json::object* o = object(v, "window", &kWindowKeys);
    if (!o) return std::nullopt;
    impair::Window w;
    const size_t before = problems_.size();
    if (const auto* s = present(*o, "start")) w.start = time(*s, "window.start");
    if (const auto* s = present(*o, "stop")) w.stop = time(*s, "window.stop");
    if (problems_.size() != before) return std::nullopt;
    return w;
  }

 private:
  static std::string prefixed(const std::string& field, const std::string& key) {
    return field.empty() ? key : field + "." + key;
  }
  std::nullopt_t missing(const std::string& field) {
    problem(field, "is missing");
    return std::nullopt;
  }

  const ToxicReading& how_;
  std::vector<Diagnostic>& problems_;
};

}  // namespace

impair::StageSpec read_toxic(const json::value& body, const ToxicReading& how,
                             std::vector<Diagnostic>& problems) {
  BodyReader r(how, problems);
  impair::StageSpec spec;
  const json::object* o = r.object(body, "", &kToxicKeys);
  if (!o) return spec;
  if (const auto* v = BodyReader::present(*o, "type")) spec.type = r.text(*v, "type").value_or("");
  if (const auto* v = BodyReader::present(*o, "name")) spec.name = r.text(*v, "name").value_or("");
  if (const auto* v = BodyReader::present(*o, "stream")) {
    spec.direction = r.stream(*v).value_or(spec.direction);
  }
  if (const auto* v = BodyReader::present(*o, "toxicity")) {
    spec.toxicity = r.toxicity(*v).value_or(spec.toxicity);
  }
  if (const auto* v = BodyReader::present(*o, "attributes")) {
    spec.attributes = r.attributes(*v).value_or(impair::Attributes{});
  }
  if (const auto* v = BodyReader::present(*o, "targeting")) {
    spec.targeting = r.targeting(*v).value_or(spec.targeting);
  }
  if (const auto* v = BodyReader::present(*o, "window")) {
    spec.window = r.window(*v).value_or(spec.window);
  }
  return spec;
}

StageUpdate read_toxic_update(const json::value& body, const ToxicReading& how,
                              std::vector<Diagnostic>& problems) {
  BodyReader r(how, problems);
  StageUpdate update;
  const json::object* o = r.object(body, "", &kToxicKeys);
  if (!o) return update;
  if (const auto* v = BodyReader::present(*o, "attributes")) update.attributes = r.attributes(*v);
  if (const auto* v = BodyReader::present(*o, "toxicity")) update.toxicity = r.toxicity(*v);
  if (const auto* v = BodyReader::present(*o, "targeting")) update.targeting = r.targeting(*v);
  if (const auto* v = BodyReader::present(*o, "window")) update.window = r.window(*v);
  return update;
}

}  // namespace camleak::proxy
