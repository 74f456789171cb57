#include "harness/scenario/yaml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "harness/core/suggest.hpp"
#include "harness/core/units.hpp"

namespace camleak::scenario::detail {

void Context::error(const YAML::Node& at, std::string_view path, std::string message) {
  error(at.IsDefined() ? at.Mark() : YAML::Mark::null_mark(), path, std::move(message));
}

void Context::error(const YAML::Mark& at, std::string_view path, std::string message) {
  // yaml-cpp marks are 0-based; -1 means unknown.
  diagnostics_.push_back(Diagnostic{.file = file_,
                                    .line = at.line >= 0 ? at.line + 1 : 0,
                                    .column = at.column >= 0 ? at.column + 1 : 0,
                                    .field = std::string(path),
                                    .message = std::move(message)});
}

std::vector<Diagnostic> Context::take() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::pair(a.line, a.column) < std::pair(b.line, b.column);
                   });
  return std::move(diagnostics_);
}

std::string join_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string index_path(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

// ---------------------------------------------------------------------------------------------

MapReader::MapReader(Context& ctx, const YAML::Node& node, std::string path)
    : ctx_(ctx), node_(node), path_(std::move(path)) {
  if (!node.IsDefined() || node.IsNull()) {
    ok_ = true;  // an empty section (`fleet:` with nothing under it) reads as an empty map
    return;
  }
  if (!node.IsMap()) {
    ctx_.error(node, path_, "expected a mapping of `key: value` lines");
    return;
  }
  ok_ = true;
  for (const auto& kv : node) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
    if (!kv.first.IsScalar()) {
      ctx_.error(kv.first, path_, "keys must be plain names");
      continue;
    }
    if (find(key) != nullptr) {
      ctx_.error(kv.first, join_path(path_, key), "duplicate key (each key may appear once)");
      continue;
    }
    entries_.push_back(Entry{.key = std::move(key), .key_node = kv.first, .value = kv.second});
  }
}

MapReader::Entry* MapReader::find(std::string_view key) {
  for (auto& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const MapReader::Entry* MapReader::find(std::string_view key) const {
  for (const auto& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

std::optional<YAML::Node> MapReader::get(std::string_view key) {
  known_.emplace_back(key);
  Entry* e = find(key);
  if (e == nullptr) return std::nullopt;
  e->used = true;
  return e->value;
}

std::optional<YAML::Node> MapReader::require(std::string_view key) {
  auto v = get(key);
  if (!v && ok_) {
    const YAML::Mark at = node_.IsDefined() ? node_.Mark() : YAML::Mark::null_mark();
    ctx_.error(at, path(key), "missing required key `" + std::string(key) + "`");
  }
  return v;
}

bool MapReader::has(std::string_view key) const {
  return find(key) != nullptr;
}

void MapReader::known(std::initializer_list<std::string_view> keys) {
  for (auto k : keys) {
    known_.emplace_back(k);
    if (Entry* e = find(k)) e->used = true;
  }
}

YAML::Mark MapReader::key_mark(std::string_view key) const {
  const Entry* e = find(key);
  return e ? e->key_node.Mark() : node_.Mark();
}

std::vector<std::string> MapReader::keys() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.key);
  return out;
}

void MapReader::finish(std::string_view extra_hint) {
  for (auto& e : entries_) {
    if (e.used) continue;
    e.used = true;
    std::string message = "unknown key `" + e.key + "`" + did_you_mean(e.key, known_);
    if (!extra_hint.empty()) message += "; " + std::string(extra_hint);
    ctx_.error(e.key_node, join_path(path_, e.key), std::move(message));
  }
}

// ---------------------------------------------------------------------------------------------

std::string scalar_text(const YAML::Node& node) {
  return node.IsDefined() && node.IsScalar() ? node.Scalar() : std::string();
}

bool is_plain_scalar(const YAML::Node& node) {
  // yaml-cpp tags plain scalars "?" and quoted ones "!".
  return node.IsDefined() && node.IsScalar() && node.Tag() != "!";
}

namespace {

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "\"" + node.Scalar() + "\"";
}

bool require_scalar(Context& ctx, const YAML::Node& node, std::string_view path,
                    std::string_view what) {
  if (node.IsDefined() && node.IsScalar()) return true;
  ctx.error(node, path, "expected " + std::string(what) + ", got " + describe(node));
  return false;
}

}  // namespace

std::optional<std::string> read_string(Context& ctx, const YAML::Node& node,
                                       std::string_view path) {
  if (!require_scalar(ctx, node, path, "a string")) return std::nullopt;
  return node.Scalar();
}

std::optional<std::string> read_name(Context& ctx, const YAML::Node& node, std::string_view path) {
  auto s = read_string(ctx, node, path);
  if (!s) return s;
  const bool valid = !s->empty() && std::all_of(s->begin(), s->end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  if (!valid) {
    ctx.error(node, path,
              "\"" + *s + "\" is not a valid name (letters, digits, `-`, `_` and `.` only)");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> read_bool(Context& ctx, const YAML::Node& node, std::string_view path) {
  if (!require_scalar(ctx, node, path, "true or false")) return std::nullopt;
  const std::string& s = node.Scalar();
  if (s == "true") return true;
  if (s == "false") return false;
  ctx.error(node, path, "expected true or false, got \"" + s + "\"");
  return std::nullopt;
}

std::optional<int64_t> read_int(Context& ctx, const YAML::Node& node, std::string_view path,
                                int64_t min, int64_t max) {
  if (!require_scalar(ctx, node, path, "a whole number")) return std::nullopt;
  const std::string& s = node.Scalar();
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    ctx.error(node, path, "expected a whole number, got \"" + s + "\"");
    return std::nullopt;
  }
  if (v < min || v > max) {
    ctx.error(
        node, path,
        "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + s);
    return std::nullopt;
  }
  return v;
}

std::optional<double> read_number(Context& ctx, const YAML::Node& node, std::string_view path) {
  if (!require_scalar(ctx, node, path, "a number")) return std::nullopt;
  const std::string& s = node.Scalar();
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
    ctx.error(node, path, "expected a number, got \"" + s + "\"");
    return std::nullopt;
  }
  return v;
}

std::optional<Micros> read_duration(Context& ctx, const YAML::Node& node, std::string_view path) {
  if (!require_scalar(ctx, node, path, "a duration such as 250ms, 2s or 1m")) return std::nullopt;
  try {
    return units::parse_duration(node.Scalar());
  } catch (const std::invalid_argument& e) {
    ctx.error(node, path, e.what());
    return std::nullopt;
  }
}

std::optional<Micros> read_positive_duration(Context& ctx, const YAML::Node& node,
                                             std::string_view path) {
  auto d = read_duration(ctx, node, path);
  if (d && d->count() <= 0) {
    ctx.error(node, path, "must be longer than 0s");
    return std::nullopt;
  }
  return d;
}

std::optional<double> read_fraction(Context& ctx, const YAML::Node& node, std::string_view path) {
  if (!require_scalar(ctx, node, path, "a fraction such as 5% or 0.05")) return std::nullopt;
  try {
    return units::parse_fraction(node.Scalar());
  } catch (const std::invalid_argument& e) {
    ctx.error(node, path, e.what());
    return std::nullopt;
  }
}

std::optional<uint64_t> read_rate(Context& ctx, const YAML::Node& node, std::string_view path) {
  if (!require_scalar(ctx, node, path, "a rate such as 512kbps or 2Mbps")) return std::nullopt;
  try {
    return units::parse_rate_bps(node.Scalar());
  } catch (const std::invalid_argument& e) {
    ctx.error(node, path, e.what());
    return std::nullopt;
  }
}

std::optional<size_t> read_choice(Context& ctx, const YAML::Node& node, std::string_view path,
                                  const std::vector<std::string>& choices) {
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  if (!require_scalar(ctx, node, path, "one of " + list)) return std::nullopt;
  const std::string& s = node.Scalar();
  for (size_t i = 0; i < choices.size(); ++i) {
    if (choices[i] == s) return i;
  }
  ctx.error(node, path,
            "unknown value \"" + s + "\"" + did_you_mean(s, choices) + "; expected one of " + list);
  return std::nullopt;
}

std::optional<std::vector<std::string>> read_string_list(Context& ctx, const YAML::Node& node,
                                                         std::string_view path) {
  if (node.IsDefined() && node.IsScalar()) return std::vector<std::string>{node.Scalar()};
  if (!node.IsDefined() || !node.IsSequence()) {
    ctx.error(node, path, "expected a list of names, got " + describe(node));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (size_t i = 0; i < node.size(); ++i) {
    auto s = read_string(ctx, node[i], index_path(path, i));
    if (s)
      out.push_back(*s);
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

void read_required_text(Context& ctx, MapReader& map, std::string_view key, std::string& out) {
  if (auto n = map.require(key)) {
    if (auto v = read_string(ctx, *n, map.path(key))) {
      if (v->empty()) ctx.error(*n, map.path(key), "must not be empty");
      out = *v;
    }
  }
}

}  // namespace camleak::scenario::detail
