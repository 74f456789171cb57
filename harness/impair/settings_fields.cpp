#include "harness/impair/settings_fields.hpp"

#include <cmath>
#include <limits>

namespace camleak::impair {

// Registry::complete already refuses values whose conversion would not fit; the clamp keeps the
// conversion defined anyway (converting a double past 2^63 is undefined: x86 answers INT64_MIN,
// a negative delay).
AttributeSpec spec_of(AttributeSpec::Kind kind, std::string name, std::string unit, std::string doc,
                      std::optional<double> min, std::optional<double> max,
                      std::vector<std::string> choices) {
  return AttributeSpec{.name = std::move(name),
                       .kind = kind,
                       .unit = std::move(unit),
                       .doc = std::move(doc),
                       .choices = std::move(choices),
                       .min = min,
                       .max = max};
}

int64_t saturating_round(double value) {
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (std::isnan(value)) return 0;
  if (value >= kLimit) return std::numeric_limits<int64_t>::max();
  if (value <= -kLimit) return std::numeric_limits<int64_t>::min();
  return std::llround(value);
}

double number_value(const AttributeValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&value)) return *d;
  throw std::logic_error("a completed number attribute holds no number");
}

int64_t integer_value(const AttributeValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return *i;
  if (const auto* d = std::get_if<double>(&value)) return saturating_round(*d);
  throw std::logic_error("a completed integer attribute holds no number");
}

bool boolean_value(const AttributeValue& value) {
  if (const auto* b = std::get_if<bool>(&value)) return *b;
  throw std::logic_error("a completed boolean attribute holds no boolean");
}

const std::string& string_value(const AttributeValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  throw std::logic_error("a completed string attribute holds no string");
}

}  // namespace camleak::impair
