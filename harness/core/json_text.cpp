#include "harness/core/json_text.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace camleak {
namespace {

namespace json = boost::json;

void append_number(std::string& out, double value) {
  // JSON has no infinity or NaN (Go refuses to encode them); nothing produces them on purpose,
  // so a null is the honest answer rather than a number no parser reads.
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  const double magnitude = std::fabs(value);
  const auto format = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e21)
                          ? std::chars_format::fixed
                          : std::chars_format::scientific;
  char buffer[400];  // fixed notation of a double below 1e21 needs well under this
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, format);
  if (ec != std::errc()) throw std::logic_error("to_chars: buffer too small for a double");
  out.append(buffer, end);
}

void append_json(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::double_:
      append_number(out, value.get_double());
      return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json(out, element);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, element] : value.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(key);
        out += ':';
        append_json(out, element);
      }
      out += '}';
      return;
    }
    default:  // null, bool, integers and strings: boost's spelling is already Go's
      out += json::serialize(value);
      return;
  }
}

}  // namespace

std::string json_text(const json::value& value) {
  std::string out;
  append_json(out, value);
  return out;
}

}  // namespace camleak
