#pragma once
// The explicit name -> stage-type table (no static self-registration): one entry per stage
// file, with the attribute schema used to validate API bodies and scenario files.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/errors.hpp"
#include "harness/impair/attributes.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

struct AttributeSpec {
  enum class Kind { integer, number, boolean, string };
  std::string name;  // Toxiproxy's / netem's attribute name, e.g. "jitter"
  Kind kind = Kind::integer;
  std::string unit;  // "ms", "KB/s", "bytes", "%", "" ... (Toxiproxy's units)
  AttributeValue default_value;
  std::string doc;                   // one line for `camleak explain`, schema.json and the README
  std::vector<std::string> choices;  // allowed values for string attributes; empty = any
  std::optional<double> min;         // inclusive range for integer/number attributes
  std::optional<double> max;
};

struct StageType {
  std::string name;     // "latency", "loss", ...
  Transport transport;  // which links it applies to
  std::string doc;
  std::vector<AttributeSpec> attributes;
  // Parses attributes that have been validated and completed with defaults into the type's own
  // Settings, once per configuration of the stage on a link.
  std::function<SharedSettings(const Attributes&)> parse;
  // Builds an instance for one direction of one connection from settings made by `parse`.
  std::function<std::unique_ptr<Stage>(StageContext, const StageSettings&)> create;
  // Checks that span several attributes (e.g. slicer: size_variation < average_size), run on
  // completed attributes after the per-attribute checks passed; field = attribute name.
  std::function<std::vector<Diagnostic>(const Attributes&)> check;

  // The attribute called `name`, or null.
  const AttributeSpec* attribute(std::string_view name) const;
};

class Registry {
 public:
  // Every built-in stage.
  static const Registry& builtin();

  const StageType* find(std::string_view name) const;
  // Like find(), but throws InputError (field "type", with a did-you-mean) for unknown names.
  const StageType& get(std::string_view name) const;
  // True when `name` is a datagram (UDP) stage type; false for stream types and unknown names.
  bool is_datagram(std::string_view name) const;
  const std::vector<StageType>& types() const { return types_; }
  std::vector<std::string> names(Transport transport) const;

  // Checks names, types and ranges of `attributes` for stage `type` and fills in defaults.
  // Throws InputError listing every bad attribute (field = attribute name; unknown names get a
  // "did you mean" suggestion). Integers are accepted where numbers are expected, integral
  // numbers where integers are, and text with a unit where a number is (scenario style:
  // "250ms" for an ms attribute, "64KiB" for bytes, "2Mbps" for KB/s or kbit/s, "5%" for %),
  // converted to the attribute's own unit. Returns every attribute of the type, with defaults.
  Attributes complete(std::string_view type, const Attributes& attributes) const;
  // complete(), then the type's parse: the settings stages of `type` are built from.
  SharedSettings settings(std::string_view type, const Attributes& attributes) const;

  void add(StageType type);

 private:
  std::vector<StageType> types_;
};

}  // namespace camleak::impair
