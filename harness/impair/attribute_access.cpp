#include "harness/impair/attribute_access.hpp"

#include <cmath>
#include <limits>

namespace camleak::impair {
namespace {

const AttributeValue* lookup(const Attributes& attributes, std::string_view name) {
  const auto it = attributes.find(std::string(name));
  return it == attributes.end() ? nullptr : &it->second;
}

// Rounds to int64, held at its ends. Registry::complete already refuses values whose
// conversion would not fit; the clamp keeps the conversion defined for a caller that did not
// complete (converting a double past 2^63 is undefined: x86 answers INT64_MIN, a negative delay).
int64_t saturating_round(double value) {
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (std::isnan(value)) return 0;
  if (value >= kLimit) return std::numeric_limits<int64_t>::max();
  if (value <= -kLimit) return std::numeric_limits<int64_t>::min();
  return std::llround(value);
}

}  // namespace

double number_attribute(const Attributes& attributes, std::string_view name, double fallback) {
  const AttributeValue* value = lookup(attributes, name);
  if (!value) return fallback;
  if (const auto* i = std::get_if<int64_t>(value)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(value)) return *d;
  return fallback;
}

int64_t integer_attribute(const Attributes& attributes, std::string_view name, int64_t fallback) {
  const AttributeValue* value = lookup(attributes, name);
  if (!value) return fallback;
  if (const auto* i = std::get_if<int64_t>(value)) return *i;
  if (const auto* d = std::get_if<double>(value)) return saturating_round(*d);
  return fallback;
}

bool boolean_attribute(const Attributes& attributes, std::string_view name, bool fallback) {
  const AttributeValue* value = lookup(attributes, name);
  if (!value) return fallback;
  if (const auto* b = std::get_if<bool>(value)) return *b;
  return fallback;
}

std::string string_attribute(const Attributes& attributes, std::string_view name,
                             std::string_view fallback) {
  const AttributeValue* value = lookup(attributes, name);
  if (!value) return std::string(fallback);
  if (const auto* s = std::get_if<std::string>(value)) return *s;
  return std::string(fallback);
}

Micros milliseconds_attribute(const Attributes& attributes, std::string_view name,
                              double fallback_ms) {
  const double ms = number_attribute(attributes, name, fallback_ms);
  return Micros{saturating_round(ms * 1000.0)};
}

double percent_attribute(const Attributes& attributes, std::string_view name,
                         double fallback_percent) {
  return number_attribute(attributes, name, fallback_percent) / 100.0;
}

}  // namespace camleak::impair

namespace camleak::impair {

AttributeSpec integer_spec(std::string name, std::string unit, int64_t default_value,
                           std::string doc, std::optional<double> min, std::optional<double> max) {
  return AttributeSpec{.name = std::move(name),
                       .kind = AttributeSpec::Kind::integer,
                       .unit = std::move(unit),
                       .default_value = default_value,
                       .doc = std::move(doc),
                       .min = min,
                       .max = max};
}

AttributeSpec number_spec(std::string name, std::string unit, double default_value, std::string doc,
                          std::optional<double> min, std::optional<double> max) {
  return AttributeSpec{.name = std::move(name),
                       .kind = AttributeSpec::Kind::number,
                       .unit = std::move(unit),
                       .default_value = default_value,
                       .doc = std::move(doc),
                       .min = min,
                       .max = max};
}

AttributeSpec percent_spec(std::string name, double default_value, std::string doc) {
  return number_spec(std::move(name), "%", default_value, std::move(doc), 0.0, 100.0);
}

AttributeSpec choice_spec(std::string name, std::string default_value,
                          std::vector<std::string> choices, std::string doc) {
  return AttributeSpec{.name = std::move(name),
                       .kind = AttributeSpec::Kind::string,
                       .default_value = std::move(default_value),
                       .doc = std::move(doc),
                       .choices = std::move(choices)};
}

AttributeSpec boolean_spec(std::string name, bool default_value, std::string doc) {
  return AttributeSpec{.name = std::move(name),
                       .kind = AttributeSpec::Kind::boolean,
                       .default_value = default_value,
                       .doc = std::move(doc)};
}

}  // namespace camleak::impair
