#pragma once
// Stage attributes as they arrive from JSON (Toxiproxy API) or YAML (scenarios): a flat map of
// scalar values. Each stage parses them once into its own typed Settings (Envoy's model:
// validated once, then immutable), reporting bad ones by attribute name.
#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace camleak::impair {

using AttributeValue = std::variant<int64_t, double, bool, std::string>;
using Attributes = std::map<std::string, AttributeValue>;

// A value as explain and the schedule print it: "500", "0.25", "true", "text".
std::string attribute_text(const AttributeValue& value);

}  // namespace camleak::impair
