#pragma once
// Text helpers every writer needs: making untrusted bytes (camera names read from an SEI that a
// SUT may have mangled) safe for UTF-8 formats, escaping for XML/HTML, and base64.
#include <string>
#include <string_view>

#include "harness/core/clock.hpp"
#include "harness/core/observation.hpp"

namespace camleak::reports {

// Valid UTF-8 stays as is; every invalid byte becomes U+FFFD.
std::string sanitize_utf8(std::string_view text);
// Escapes & < > " ' for XML 1.0 and HTML (attributes and text), sanitizes UTF-8, and replaces
// control characters XML cannot carry (all below 0x20 but tab, LF, CR) by U+FFFD.
std::string xml_escape(std::string_view text);
std::string base64(std::string_view bytes);
// Run-clock seconds with millisecond precision: "12.345".
std::string seconds(Micros t);
// A wall-clock time as ISO 8601 UTC: "2026-11-24T00:19:50Z".
std::string iso8601(std::chrono::system_clock::time_point t);
// "probe_snapshot", "play", ...: the name reports use for an operation type.
std::string_view operation_name(OperationType type);
// An authorization probe the SUT granted, on one line: who asked for what, when, and the answer.
std::string describe_probe(const Operation& probe);

}  // namespace camleak::reports
