#pragma once
// Each stage attribute is declared once, bound to the member of the stage's Settings it fills
// (Toxiproxy's model: a toxic's struct fields are its attributes). One declaration gives the
// schema entry (name, kind, unit, range, doc, used to validate API bodies and scenario files and
// by `explain` and schema.json) and the conversion into the member; the default is the member's
// initial value in a default-constructed Settings. So the schema and the parser cannot disagree,
// and a stage type needs no parse function of its own.
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/impair/registry.hpp"

namespace camleak::impair {

template <class S>
struct Field {
  AttributeSpec spec;  // without default_value: stage_type_of takes it from S{}
  // Stores the completed attribute's value (already of spec.kind, in spec.unit) in `settings`.
  std::function<void(S& settings, const AttributeValue& value)> read;
  // The member's value in `settings`, of spec.kind and in spec.unit.
  std::function<AttributeValue(const S& settings)> write;
};
template <class S>
using Fields = std::vector<Field<S>>;

// Conversions of completed attribute values (see Registry::complete): an integer where a number
// is expected, an integral number where an integer is.
double number_value(const AttributeValue& value);
int64_t integer_value(const AttributeValue& value);  // rounded, held at int64's ends
int64_t saturating_round(double value);
bool boolean_value(const AttributeValue& value);
const std::string& string_value(const AttributeValue& value);

// A field's schema entry; stage_type_of fills in its default.
AttributeSpec spec_of(AttributeSpec::Kind kind, std::string name, std::string unit, std::string doc,
                      std::optional<double> min = std::nullopt,
                      std::optional<double> max = std::nullopt,
                      std::vector<std::string> choices = {});

// A probability held in [0, 1], written in percent.
template <class S>
Field<S> percent_field(double S::*member, std::string name, std::string doc) {
  return {.spec = spec_of(AttributeSpec::Kind::number, std::move(name), "%", std::move(doc), 0.0,
                          100.0),
          .read = [member](S& s, const AttributeValue& v) { s.*member = number_value(v) / 100.0; },
          .write = [member](const S& s) -> AttributeValue { return s.*member * 100.0; }};
}

// A time written in whole milliseconds (Toxiproxy's integer ms).
template <class S>
Field<S> milliseconds_field(Micros S::*member, std::string name, std::string doc) {
  return {
      .spec = spec_of(AttributeSpec::Kind::integer, std::move(name), "ms", std::move(doc), 0.0),
      .read = [member](S& s,
                       const AttributeValue& v) { s.*member = Micros{integer_value(v) * 1000}; },
      .write = [member](const S& s) -> AttributeValue {
        return static_cast<int64_t>((s.*member).count() / 1000);
      }};
}

// A time written in milliseconds that may be fractional (netem's).
template <class S>
Field<S> fractional_milliseconds_field(Micros S::*member, std::string name, std::string doc) {
  return {.spec = spec_of(AttributeSpec::Kind::number, std::move(name), "ms", std::move(doc), 0.0),
          .read =
              [member](S& s, const AttributeValue& v) {
                s.*member = Micros{saturating_round(number_value(v) * 1000.0)};
              },
          .write = [member](const S& s) -> AttributeValue {
            return static_cast<double>((s.*member).count()) / 1000.0;
          }};
}

// A time written in whole microseconds.
template <class S>
Field<S> microseconds_field(Micros S::*member, std::string name, std::string doc) {
  return {.spec = spec_of(AttributeSpec::Kind::integer, std::move(name), "us", std::move(doc), 0.0),
          .read = [member](S& s, const AttributeValue& v) { s.*member = Micros{integer_value(v)}; },
          .write = [member](const S& s) -> AttributeValue { return (s.*member).count(); }};
}

// A whole number of `unit` (bytes, packets, KB/s), in [min, max].
template <class S, class Int>
requires std::is_integral_v<Int> Field<S> integer_field(Int S::*member, std::string name,
                                                        std::string unit, std::string doc,
                                                        std::optional<double> min = 0.0,
                                                        std::optional<double> max = std::nullopt) {
  return {
      .spec = spec_of(AttributeSpec::Kind::integer, std::move(name), std::move(unit),
                      std::move(doc), min, max),
      .read = [member](S& s,
                       const AttributeValue& v) { s.*member = static_cast<Int>(integer_value(v)); },
      .write = [member](const S& s) -> AttributeValue { return static_cast<int64_t>(s.*member); }};
}

// A number of `unit`, in [min, max].
template <class S>
Field<S> number_field(double S::*member, std::string name, std::string unit, std::string doc,
                      std::optional<double> min = 0.0, std::optional<double> max = std::nullopt) {
  return {.spec = spec_of(AttributeSpec::Kind::number, std::move(name), std::move(unit),
                          std::move(doc), min, max),
          .read = [member](S& s, const AttributeValue& v) { s.*member = number_value(v); },
          .write = [member](const S& s) -> AttributeValue { return s.*member; }};
}

template <class S>
Field<S> boolean_field(bool S::*member, std::string name, std::string doc) {
  return {.spec = spec_of(AttributeSpec::Kind::boolean, std::move(name), "", std::move(doc)),
          .read = [member](S& s, const AttributeValue& v) { s.*member = boolean_value(v); },
          .write = [member](const S& s) -> AttributeValue { return s.*member; }};
}

// One of a fixed set of words, each standing for a value of the member's type.
template <class T>
using Choices = std::vector<std::pair<std::string, T>>;

template <class S, class T>
Field<S> choice_field(T S::*member, std::string name, Choices<T> choices, std::string doc) {
  std::vector<std::string> words;
  for (const auto& [word, value] : choices) words.push_back(word);
  auto table = std::make_shared<const Choices<T>>(std::move(choices));
  return {.spec = spec_of(AttributeSpec::Kind::string, std::move(name), "", std::move(doc),
                          std::nullopt, std::nullopt, std::move(words)),
          .read =
              [member, table](S& s, const AttributeValue& v) {
                for (const auto& [word, value] : *table) {
                  if (word == string_value(v)) s.*member = value;
                }
              },
          .write = [member, table](const S& s) -> AttributeValue {
            for (const auto& [word, value] : *table) {
              if (value == s.*member) return word;
            }
            throw std::logic_error("a Settings member holds a value its choices do not name");
          }};
}

// The fields of a settings piece shared by several stages (a delay shape, a chance), bound to
// the stage's member that holds the piece.
template <class S, class Piece>
Fields<S> within(Piece S::*member, Fields<Piece> fields) {
  Fields<S> out;
  for (auto& field : fields) {
    out.push_back({.spec = std::move(field.spec),
                   .read = [member, read = std::move(field.read)](
                               S& s, const AttributeValue& v) { read(s.*member, v); },
                   .write = [member, write = std::move(field.write)](
                                const S& s) { return write(s.*member); }});
  }
  return out;
}

// Fields and groups of fields (from within) as one list, in order.
template <class S, class... Parts>
Fields<S> fields_of(Parts&&... parts) {
  Fields<S> out;
  const auto append = [&out](auto&& part) {
    if constexpr (std::is_same_v<std::decay_t<decltype(part)>, Field<S>>) {
      out.push_back(std::forward<decltype(part)>(part));
    } else {
      for (auto& field : part) out.push_back(std::move(field));
    }
  };
  (append(std::forward<Parts>(parts)), ...);
  return out;
}

// What a stage type says about itself beside its fields.
struct StageDescription {
  std::string_view name;
  Transport transport;
  std::string_view doc;
};

// The StageType of StageClass: a nested `Settings` (derived from StageSettings, its members
// initialised to the defaults) read from `fields`, and a constructor (StageContext, const
// Settings&). `check` judges combinations of settings that each field alone cannot (problems
// name the attribute to blame in `field`).
template <class StageClass>
StageType stage_type_of(
    StageDescription description, Fields<typename StageClass::Settings> fields,
    std::function<std::vector<Diagnostic>(const typename StageClass::Settings&)> check = {}) {
  using Settings = typename StageClass::Settings;
  const Settings defaults{};
  std::vector<AttributeSpec> attributes;
  for (auto& field : fields) {
    field.spec.default_value = field.write(defaults);
    attributes.push_back(field.spec);
  }
  const auto shared = std::make_shared<const Fields<Settings>>(std::move(fields));
  const auto parse = [shared](const Attributes& attributes) {
    auto settings = std::make_shared<Settings>();
    for (const auto& field : *shared) {
      if (const auto it = attributes.find(field.spec.name); it != attributes.end()) {
        field.read(*settings, it->second);
      }
    }
    return settings;
  };
  StageType type{
      .name = std::string(description.name),
      .transport = description.transport,
      .doc = std::string(description.doc),
      .attributes = std::move(attributes),
      .parse = [parse](const Attributes& attributes) -> SharedSettings {
        return parse(attributes);
      },
      .create = [](StageContext context, const StageSettings& settings) -> std::unique_ptr<Stage> {
        return std::make_unique<StageClass>(std::move(context), settings_as<Settings>(settings));
      }};
  if (check) {
    type.check = [parse, check = std::move(check)](const Attributes& attributes) {
      return check(*parse(attributes));
    };
  }
  return type;
}

// The StageType of a stage class that describes itself, as every built-in stage does:
//   static constexpr StageDescription kDescription{...};
//   static Fields<Settings> fields();
//   static std::vector<Diagnostic> check(const Settings&);  // optional
// so a stage is declared in its own files and the registry names it in one line.
template <class StageClass>
StageType stage_type_of() {
  using Settings = typename StageClass::Settings;
  if constexpr (requires(const Settings& s) { StageClass::check(s); }) {
    return stage_type_of<StageClass>(StageClass::kDescription, StageClass::fields(),
                                     &StageClass::check);
  } else {
    return stage_type_of<StageClass>(StageClass::kDescription, StageClass::fields());
  }
}

}  // namespace camleak::impair
