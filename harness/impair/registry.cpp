#include "harness/impair/registry.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "harness/core/suggest.hpp"
#include "harness/core/units.hpp"
#include "harness/impair/bandwidth.hpp"
#include "harness/impair/corrupt.hpp"
#include "harness/impair/delay.hpp"
#include "harness/impair/down.hpp"
#include "harness/impair/duplicate.hpp"
#include "harness/impair/latency.hpp"
#include "harness/impair/limit_data.hpp"
#include "harness/impair/loss.hpp"
#include "harness/impair/rate.hpp"
#include "harness/impair/reorder.hpp"
#include "harness/impair/reset_peer.hpp"
#include "harness/impair/slicer.hpp"
#include "harness/impair/slow_close.hpp"
#include "harness/impair/timeout.hpp"

namespace camleak::impair {
namespace {

// The shortest spelling that reads back as `value`, whole numbers in full as people write them
// (12345678 and 9000000000000000000, not 1.23457e+07 and 9e+18), others as short as they go
// (0.1, 1e+30).
std::string format_number(double value) {
  const bool whole = std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e21;
  char buffer[64];
  const auto end =
      whole ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed).ptr
            : std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

std::string describe(const AttributeValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return "`" + v + "`";
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else {
          return format_number(static_cast<double>(v));
        }
      },
      value);
}

std::optional<double> parse_plain_number(std::string_view text) {
  double value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// Numbers written as text with a unit, as people write them in scenario files ("250ms",
// "64KiB", "2Mbps", "5%"), converted to the attribute's own unit.
double parse_with_unit(std::string_view text, const std::string& unit) {
  if (auto plain = parse_plain_number(text)) return *plain;
  if (unit == "ms") return static_cast<double>(units::parse_duration(text).count()) / 1000.0;
  if (unit == "us") return static_cast<double>(units::parse_duration(text).count());
  if (unit == "bytes") return static_cast<double>(units::parse_size_bytes(text));
  if (unit == "KB/s") return static_cast<double>(units::parse_rate_bps(text)) / 8000.0;
  if (unit == "kbit/s") return static_cast<double>(units::parse_rate_bps(text)) / 1000.0;
  if (unit == "%" && !text.empty() && text.back() == '%') {
    if (auto plain = parse_plain_number(text.substr(0, text.size() - 1))) return *plain;
  }
  throw std::invalid_argument("expected a number" + (unit.empty() ? "" : " of " + unit));
}

std::string range_text(const AttributeSpec& spec) {
  const std::string unit = spec.unit.empty() ? "" : " " + spec.unit;
  if (spec.min && spec.max) {
    return "between " + format_number(*spec.min) + " and " + format_number(*spec.max) + unit;
  }
  if (spec.min) return "at least " + format_number(*spec.min) + unit;
  return "at most " + format_number(*spec.max) + unit;
}

// Converts `value` to the attribute's kind into `out`; sets `error` and returns false when it
// cannot. (Out-parameter rather than optional<variant>: GCC 12 with sanitizers warns falsely
// about the latter.)
bool convert(const AttributeSpec& spec, const AttributeValue& value, AttributeValue& out,
             std::string& error) {
  const std::string unit = spec.unit.empty() ? "" : " (" + spec.unit + ")";
  switch (spec.kind) {
    case AttributeSpec::Kind::boolean: {
      if (const auto* b = std::get_if<bool>(&value)) {
        out = *b;
        return true;
      }
      if (const auto* s = std::get_if<std::string>(&value)) {
        if (*s == "true") {
          out = true;
          return true;
        }
        if (*s == "false") {
          out = false;
          return true;
        }
      }
      error = "must be true or false, got " + describe(value);
      return false;
    }
    case AttributeSpec::Kind::string: {
      const auto* s = std::get_if<std::string>(&value);
      if (!s) {
        error = "must be a string, got " + describe(value);
        return false;
      }
      if (!spec.choices.empty() &&
          std::find(spec.choices.begin(), spec.choices.end(), *s) == spec.choices.end()) {
        std::string list;
        for (const auto& choice : spec.choices) list += (list.empty() ? "" : ", ") + choice;
        error = "must be one of " + list + ", got `" + *s + "`" + did_you_mean(*s, spec.choices);
        return false;
      }
      {
        out = *s;
        return true;
      }
    }
    case AttributeSpec::Kind::integer:
    case AttributeSpec::Kind::number: {
      double number = 0;
      if (const auto* i = std::get_if<int64_t>(&value)) {
        number = static_cast<double>(*i);
      } else if (const auto* d = std::get_if<double>(&value)) {
        number = *d;
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        try {
          number = parse_with_unit(*s, spec.unit);
        } catch (const std::exception& bad) {
          error = "cannot read `" + *s + "`: " + bad.what();
          return false;
        }
      } else {
        error = "must be a number" + unit + ", got " + describe(value);
        return false;
      }
      if (!std::isfinite(number)) {
        error = "must be a finite number" + unit;
        return false;
      }
      if ((spec.min && number < *spec.min) || (spec.max && number > *spec.max)) {
        error = "must be " + range_text(spec) + ", got " + format_number(number);
        return false;
      }
      // A time becomes Micros in the stage: past that range it would wrap to a negative delay.
      if (spec.unit == "ms" || spec.unit == "us") {
        try {
          units::duration_from_ms(spec.unit == "ms" ? number : number / 1000.0);
        } catch (const std::invalid_argument&) {
          error = "is out of range" + unit + ", got " + format_number(number) + " (" +
                  units::kLongestDurationText + ")";
          return false;
        }
      }
      if (spec.kind == AttributeSpec::Kind::number) {
        out = number;
        return true;
      }
      if (std::fabs(number) > 9e18) {
        error = "is out of range" + unit + ", got " + format_number(number);
        return false;
      }
      if (number != std::floor(number)) {
        error = "must be a whole number" + unit + ", got " + format_number(number);
        return false;
      }
      {
        out = static_cast<int64_t>(number);
        return true;
      }
    }
  }
  error = "unsupported attribute kind";
  return false;
}

}  // namespace

const Registry& Registry::builtin() {
  // The explicit table: one line per stage class (each describes itself: kDescription,
  // fields()), no static self-registration.
  static const Registry registry = [] {
    Registry r;
    // Stream (TCP) stages, Toxiproxy's toxics.
    r.add(stage_type_of<LatencyStage>());
    r.add(stage_type_of<BandwidthStage>());
    r.add(stage_type_of<SlowCloseStage>());
    r.add(stage_type_of<TimeoutStage>());
    r.add(stage_type_of<SlicerStage>());
    r.add(stage_type_of<LimitDataStage>());
    r.add(stage_type_of<ResetPeerStage>());
    r.add(stage_type_of<DownStage>());
    // Datagram (UDP) stages, netem's impairments.
    r.add(stage_type_of<LossStage>());
    r.add(stage_type_of<DuplicateStage>());
    r.add(stage_type_of<ReorderStage>());
    r.add(stage_type_of<CorruptStage>());
    r.add(stage_type_of<RateStage>());
    r.add(stage_type_of<DelayStage>());
    return r;
  }();
  return registry;
}

const AttributeSpec* StageType::attribute(std::string_view name) const {
  for (const auto& spec : attributes) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

void Registry::add(StageType type) {
  if (find(type.name)) throw std::logic_error("stage type registered twice: " + type.name);
  types_.push_back(std::move(type));
}

bool Registry::is_datagram(std::string_view name) const {
  const StageType* type = find(name);
  return type != nullptr && type->transport == Transport::datagram;
}

const StageType* Registry::find(std::string_view name) const {
  for (const auto& type : types_) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

const StageType& Registry::get(std::string_view name) const {
  if (const StageType* type = find(name)) return *type;
  std::vector<std::string> all;
  for (const auto& type : types_) all.push_back(type.name);
  throw InputError(Diagnostic{
      .field = "type",
      .message = "unknown stage type `" + std::string(name) + "`" + did_you_mean(name, all)});
}

std::vector<std::string> Registry::names(Transport transport) const {
  std::vector<std::string> out;
  for (const auto& type : types_) {
    if (type.transport == transport) out.push_back(type.name);
  }
  return out;
}

Attributes Registry::complete(std::string_view type_name, const Attributes& attributes) const {
  const StageType& type = get(type_name);
  std::vector<std::string> known;
  for (const auto& spec : type.attributes) known.push_back(spec.name);

  std::vector<Diagnostic> problems;
  Attributes out;
  for (const auto& [name, value] : attributes) {
    const auto spec = std::find_if(type.attributes.begin(), type.attributes.end(),
                                   [&](const AttributeSpec& s) { return s.name == name; });
    if (spec == type.attributes.end()) {
      problems.push_back({.field = name,
                          .message = "unknown attribute of stage type `" + type.name + "`" +
                                     did_you_mean(name, known)});
      continue;
    }
    std::string error;
    AttributeValue converted;
    if (convert(*spec, value, converted, error)) {
      out[name] = std::move(converted);
    } else {
      problems.push_back({.field = name, .message = std::move(error)});
    }
  }
  if (problems.empty()) {
    for (const auto& spec : type.attributes) {
      if (!out.contains(spec.name)) out[spec.name] = spec.default_value;
    }
    if (type.check) problems = type.check(out);
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return out;
}

SharedSettings Registry::settings(std::string_view type_name, const Attributes& attributes) const {
  return get(type_name).parse(complete(type_name, attributes));
}

}  // namespace camleak::impair
