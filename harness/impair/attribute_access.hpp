#pragma once
// Typed reads of completed Attributes for the stages' Settings parsers. Registry::complete has
// already checked and filled every attribute, so these only convert (an integer where a number
// is expected, an integral number where an integer is) and fall back when one is absent.
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/core/clock.hpp"
#include "harness/impair/attributes.hpp"

namespace camleak::impair {

double number_attribute(const Attributes& attributes, std::string_view name, double fallback);
int64_t integer_attribute(const Attributes& attributes, std::string_view name, int64_t fallback);
bool boolean_attribute(const Attributes& attributes, std::string_view name, bool fallback);
std::string string_attribute(const Attributes& attributes, std::string_view name,
                             std::string_view fallback);

// A duration attribute given in milliseconds (possibly fractional), as Micros.
Micros milliseconds_attribute(const Attributes& attributes, std::string_view name,
                              double fallback_ms);
// A percentage attribute (0..100) as a probability (0..1).
double percent_attribute(const Attributes& attributes, std::string_view name,
                         double fallback_percent);

}  // namespace camleak::impair

#include <memory>
#include <optional>
#include <vector>

#include "harness/impair/registry.hpp"

namespace camleak::impair {

// Builders for the registry's attribute schemas, so each stage's table reads as one line per
// attribute.
AttributeSpec integer_spec(std::string name, std::string unit, int64_t default_value,
                           std::string doc, std::optional<double> min = 0.0,
                           std::optional<double> max = std::nullopt);
AttributeSpec number_spec(std::string name, std::string unit, double default_value, std::string doc,
                          std::optional<double> min = 0.0,
                          std::optional<double> max = std::nullopt);
// A number of percent in [0, 100].
AttributeSpec percent_spec(std::string name, double default_value, std::string doc);
AttributeSpec choice_spec(std::string name, std::string default_value,
                          std::vector<std::string> choices, std::string doc);
AttributeSpec boolean_spec(std::string name, bool default_value, std::string doc);

// StageType::parse and StageType::create for a stage class with a nested `Settings` (derived
// from StageSettings, with `static Settings parse(const Attributes&)`) and a constructor
// (StageContext, const Settings&).
template <class StageClass>
auto parser_of() {
  using Settings = typename StageClass::Settings;
  return [](const Attributes& attributes) -> SharedSettings {
    return std::make_shared<const Settings>(Settings::parse(attributes));
  };
}
template <class StageClass>
auto factory_of() {
  using Settings = typename StageClass::Settings;
  return [](StageContext context, const StageSettings& settings) -> std::unique_ptr<Stage> {
    return std::make_unique<StageClass>(std::move(context), settings_as<Settings>(settings));
  };
}

}  // namespace camleak::impair
