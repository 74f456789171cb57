#pragma once
// Reading YAML with precise, collected errors: every problem becomes a Diagnostic with
// file:line:col and the dotted field path, and reading goes on so that all problems are listed.
// Internal to the scenario loader.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/core/errors.hpp"

namespace camleak::scenario::detail {

class Context {
 public:
  explicit Context(std::string file) : file_(std::move(file)) {}

  void error(const YAML::Node& at, std::string_view path, std::string message);
  void error(const YAML::Mark& at, std::string_view path, std::string message);
  // A diagnostic of another file (an adapter the scenario names), kept as it is.
  void add(Diagnostic diagnostic) { diagnostics_.push_back(std::move(diagnostic)); }
  size_t error_count() const { return diagnostics_.size(); }
  // Every diagnostic, ordered by position in the file.
  std::vector<Diagnostic> take();
  const std::string& file() const { return file_; }

  // False when the fleet could not be read: then "unknown camera/hub/account" errors would only
  // repeat that problem, so name checks are skipped.
  bool names_checkable = true;

 private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
};

// A position from 1-based line and column (yaml-cpp's Mark constructor is private).
inline YAML::Mark make_mark(int line, int column) {
  YAML::Mark m;
  m.line = line - 1;
  m.column = column - 1;
  return m;
}

// "a.b" + "c" -> "a.b.c"; "" + "c" -> "c".
std::string join_path(std::string_view parent, std::string_view key);
// "timeline" + 3 -> "timeline[3]".
std::string index_path(std::string_view parent, size_t index);

// A YAML mapping read key by key. Every key asked for becomes "known"; finish() reports keys
// that were never asked for, with a did-you-mean suggestion among the known ones, and
// duplicate keys are reported as soon as the map is opened.
class MapReader {
 public:
  // Reports an error (and reads as empty) when `node` is not a mapping.
  MapReader(Context& ctx, const YAML::Node& node, std::string path);
  ~MapReader() = default;
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;

  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }
  std::string path(std::string_view key) const { return join_path(path_, key); }
  const YAML::Node& node() const { return node_; }

  // The value of `key`, if present.
  std::optional<YAML::Node> get(std::string_view key);
  // As get(), and reports "missing required key" when absent.
  std::optional<YAML::Node> require(std::string_view key);
  bool has(std::string_view key) const;
  // Declares keys as known without reading them (so they are not reported as unknown).
  void known(std::initializer_list<std::string_view> keys);
  // Position of `key` itself (for errors about the key rather than its value).
  YAML::Mark key_mark(std::string_view key) const;
  // Keys present in the file, in file order.
  std::vector<std::string> keys() const;

  // Reads the optional `key` with a scalar reader below (read_duration, read_string, ...)
  // into `out`, which keeps its value when the key is absent. False when the value is there
  // but not acceptable (the reader has reported it).
  template <class T, class Reader>
  bool read_into(std::string_view key, T& out, Reader reader) {
    const auto node = get(key);
    if (!node) return true;
    auto value = reader(ctx_, *node, path(key));
    if (!value) return false;
    out = std::move(*value);
    return true;
  }

  // Reports every key never asked for. `extra_hint` is appended to each message.
  void finish(std::string_view extra_hint = {});

 private:
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
    bool used = false;
  };
  Entry* find(std::string_view key);
  const Entry* find(std::string_view key) const;

  Context& ctx_;
  YAML::Node node_;
  std::string path_;
  bool ok_ = false;
  std::vector<Entry> entries_;
  std::vector<std::string> known_;
};

// Scalar readers: each reports a diagnostic at the value and returns nullopt when the value is
// not acceptable.
std::optional<std::string> read_string(Context& ctx, const YAML::Node& node, std::string_view path);
std::optional<std::string> read_name(Context& ctx, const YAML::Node& node, std::string_view path);
std::optional<bool> read_bool(Context& ctx, const YAML::Node& node, std::string_view path);
std::optional<int64_t> read_int(Context& ctx, const YAML::Node& node, std::string_view path,
                                int64_t min, int64_t max);
std::optional<double> read_number(Context& ctx, const YAML::Node& node, std::string_view path);
std::optional<Micros> read_duration(Context& ctx, const YAML::Node& node, std::string_view path);
// Requires a strictly positive duration.
std::optional<Micros> read_positive_duration(Context& ctx, const YAML::Node& node,
                                             std::string_view path);
std::optional<double> read_fraction(Context& ctx, const YAML::Node& node, std::string_view path);
std::optional<uint64_t> read_rate(Context& ctx, const YAML::Node& node, std::string_view path);
// One of `choices`; returns its index. Unknown values get a did-you-mean suggestion.
std::optional<size_t> read_choice(Context& ctx, const YAML::Node& node, std::string_view path,
                                  const std::vector<std::string>& choices);
// The required, non-empty text of `key` into `out` (each problem reported).
void read_required_text(Context& ctx, MapReader& map, std::string_view key, std::string& out);
// A sequence of strings, or a single string taken as a one-element list.
std::optional<std::vector<std::string>> read_string_list(Context& ctx, const YAML::Node& node,
                                                         std::string_view path);

// The scalar text, "" for non-scalars.
std::string scalar_text(const YAML::Node& node);
// True when the node is a scalar written without quotes (so `5` is a number, `"5"` a string).
bool is_plain_scalar(const YAML::Node& node);

}  // namespace camleak::scenario::detail
