#include "harness/core/errors.hpp"

#include <algorithm>

namespace camleak {
namespace {

// How much of an echoed value a message keeps, and how long a message or field may get before
// it is cut as a whole (an echo without quotes, or a value with quotes inside it).
constexpr size_t kEchoLimit = 80;
constexpr size_t kTextLimit = 400;

// True when `text` is already clip_to's output for `limit`: a message formatted twice (an
// InputError's text inside an API error) must keep the first length, not report its own.
bool clipped_already(std::string_view text, size_t limit) {
  constexpr std::string_view kMark = "… (", kEnd = " bytes)";
  const size_t mark = text.rfind(kMark);
  if (mark == std::string_view::npos || mark > limit || !text.ends_with(kEnd)) return false;
  const auto digits =
      text.substr(mark + kMark.size(), text.size() - mark - kMark.size() - kEnd.size());
  return !digits.empty() &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string clip_to(std::string_view text, size_t limit) {
  if (text.size() <= limit || clipped_already(text, limit)) return std::string(text);
  size_t cut = limit;
  // Do not split a UTF-8 character: back up over continuation bytes (10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "… (" + std::to_string(text.size()) + " bytes)";
}

// Messages echo the offending value between "..." or `...`: each such span is clipped, so the
// message around it (what was expected, a suggestion) survives whole.
std::string clip_echoes(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const size_t close = c == '"' || c == '`' ? text.find(c, i + 1) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += c;
      ++i;
      continue;
    }
    out += c;
    out += clip_value(text.substr(i + 1, close - i - 1));
    out += c;
    i = close + 1;
  }
  return clip_to(out, kTextLimit);
}

// A dotted field path holds the keys as written, so a huge key is clipped like a value.
std::string clip_field(std::string_view field) {
  if (field.size() <= kEchoLimit) return std::string(field);
  std::string out;
  size_t i = 0;
  while (i <= field.size()) {
    const size_t dot = std::min(field.find('.', i), field.size());
    if (i > 0) out += '.';
    out += clip_value(field.substr(i, dot - i));
    i = dot + 1;
  }
  return clip_to(out, kTextLimit);
}

std::string join(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.format();
  }
  return out;
}

}  // namespace

std::string clip_value(std::string_view value) {
  return clip_to(value, kEchoLimit);
}

std::string Diagnostic::format() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ':' + std::to_string(line);
      if (column > 0) out += ':' + std::to_string(column);
    }
    out += ": ";
  }
  // Values are echoed here, and only here, clipped: whatever a parser put in the message, the
  // text a person reads stays short even when the input held a 30 MB value.
  if (!field.empty()) out += clip_field(field) + ": ";
  out += clip_echoes(message);
  return out;
}

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace camleak
