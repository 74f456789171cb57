#include "harness/certify/manifest.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "harness/core/errors.hpp"

namespace camleak::certify {
namespace {

constexpr size_t kHashDigits = 64;
constexpr std::string_view kSeparator = "  ";
// A manifest is machine-written: past this many bad lines the rest only repeats the news.
constexpr size_t kMaxProblems = 20;

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

bool is_sha256_hex(std::string_view text) {
  return text.size() == kHashDigits && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string quoted(std::string_view path) {
  return "\"" + printable_path(path) + "\"";
}

// One entry line, or why it is not one.
struct EntryParse {
  std::optional<ManifestEntry> entry;
  std::string error;
};

EntryParse parse_entry(std::string_view line) {
  const std::string_view hash = line.substr(0, kHashDigits);
  if (!is_sha256_hex(hash)) {
    return {.error = "expected a SHA-256 of 64 lowercase hex digits at the start of the line"};
  }
  line.remove_prefix(hash.size());
  if (!line.starts_with(kSeparator)) return {.error = "expected two spaces after the SHA-256"};
  line.remove_prefix(kSeparator.size());
  const size_t digits = line.find(kSeparator);
  const std::string_view size_text = line.substr(0, digits);
  uint64_t size = 0;
  const auto [end, ec] =
      std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
  // from_chars takes no sign or space, but it takes leading zeros: one spelling per size.
  if (digits == std::string_view::npos || size_text.empty() || ec != std::errc() ||
      end != size_text.data() + size_text.size() ||
      (size_text.size() > 1 && size_text.front() == '0')) {
    return {.error =
                "expected the size in bytes (decimal digits) and two spaces after the SHA-256"};
  }
  const std::string_view path = line.substr(digits + kSeparator.size());
  if (const auto problem = path_problem(path))
    return {.error = "path " + quoted(path) + " " + *problem};
  if (is_signing_file(path)) {
    return {.error = "lists the signing file " + quoted(path) + ", which is never signed"};
  }
  return {.entry = ManifestEntry{std::string(path), size, std::string(hash)}};
}

// The first line, or why it is not the header this reader knows.
std::optional<std::string> header_problem(std::string_view line) {
  if (line == kManifestHeader) return std::nullopt;
  constexpr std::string_view kName = "camleak-manifest ";
  if (line.starts_with(kName)) {
    return "manifest format version \"" + std::string(line.substr(kName.size())) +
           "\" is not one this camleak reads (it reads \"" + std::string(kManifestHeader) + "\")";
  }
  return "not a camleak manifest: the first line must be \"" + std::string(kManifestHeader) + "\"";
}

}  // namespace

bool is_signing_file(std::string_view path) {
  return path == kManifestFile || path == kSignatureFile || path == kPublicKeyCopyFile;
}

std::optional<std::string> path_problem(std::string_view path) {
  if (path.empty()) return "is empty";
  for (const char c : path) {
    if (is_control(c)) return "holds a control character";
  }
  if (path.front() == '/') return "is absolute";
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, slash - start);
    if (part.empty()) return "has an empty component (a doubled or trailing /)";
    if (part == "." || part == "..") return "has a . or .. component";
    start = slash + 1;
  }
  return std::nullopt;
}

std::string printable_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(path.size());
  for (const char c : path) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (is_control(c)) {
      const auto byte = static_cast<unsigned char>(c);
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

Manifest make_manifest(std::vector<ManifestEntry> entries) {
  std::sort(entries.begin(), entries.end(),
            [](const ManifestEntry& a, const ManifestEntry& b) { return a.path < b.path; });
  std::vector<Diagnostic> problems;
  for (size_t i = 0; i < entries.size(); ++i) {
    const ManifestEntry& e = entries[i];
    if (const auto problem = path_problem(e.path)) {
      problems.push_back(
          {.message = "cannot list the path " + quoted(e.path) + ": it " + *problem});
    } else if (i > 0 && entries[i - 1].path == e.path) {
      problems.push_back({.message = "the path " + quoted(e.path) + " comes twice"});
    } else if (!is_sha256_hex(e.sha256)) {
      problems.push_back({.message = "the SHA-256 of " + quoted(e.path) + " is not 64 hex digits"});
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return Manifest{std::move(entries)};
}

std::string format_manifest(const Manifest& manifest) {
  std::string out(kManifestHeader);
  out += '\n';
  for (const ManifestEntry& e : manifest.entries) {
    out += e.sha256;
    out += kSeparator;
    out += std::to_string(e.size);
    out += kSeparator;
    out += e.path;
    out += '\n';
  }
  return out;
}

Manifest parse_manifest(std::string_view text, const std::string& file) {
  std::vector<Diagnostic> problems;
  const auto problem = [&](int line, std::string message) {
    if (problems.size() < kMaxProblems) {
      problems.push_back({.file = file, .line = line, .message = std::move(message)});
    }
  };
  if (text.empty()) {
    throw InputError(
        Diagnostic{.file = file,
                   .line = 1,
                   .message = "empty: expected \"" + std::string(kManifestHeader) + "\""});
  }
  Manifest manifest;
  int previous_line = 0;
  int line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    ++line_number;
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      problem(line_number, "the last line does not end in a newline");
      end = text.size();
    }
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line_number == 1) {
      // Lines of an unknown format mean nothing to this reader: the header is the one problem.
      if (const auto bad = header_problem(line)) throw InputError(Diagnostic{file, 1, 0, "", *bad});
      continue;
    }
    EntryParse parsed = parse_entry(line);
    if (!parsed.entry) {
      problem(line_number, parsed.error);
      continue;
    }
    if (!manifest.entries.empty()) {
      const std::string& before = manifest.entries.back().path;
      if (parsed.entry->path == before) {
        problem(line_number, quoted(before) + " is listed twice (also on line " +
                                 std::to_string(previous_line) + ")");
        continue;
      }
      if (parsed.entry->path < before) {
        problem(line_number, quoted(parsed.entry->path) + " is out of order: it comes after " +
                                 quoted(before) + " (line " + std::to_string(previous_line) +
                                 "), and paths are sorted in byte order");
        continue;
      }
    }
    manifest.entries.push_back(std::move(*parsed.entry));
    previous_line = line_number;
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return manifest;
}

ManifestDiff compare_manifests(const Manifest& expected, const Manifest& actual,
                               const std::vector<std::string>& not_regular) {
  ManifestDiff diff;
  const std::set<std::string> others(not_regular.begin(), not_regular.end());
  std::set<std::string> unlisted_others = others;
  auto e = expected.entries.begin();
  auto a = actual.entries.begin();
  // Both lists are sorted by path: one merge walk pairs them.
  while (e != expected.entries.end() || a != actual.entries.end()) {
    if (a == actual.entries.end() || (e != expected.entries.end() && e->path < a->path)) {
      // A listed file that is now a link (or a device...) was replaced, not removed.
      (unlisted_others.erase(e->path) ? diff.changed : diff.missing).push_back(e->path);
      ++e;
    } else if (e == expected.entries.end() || a->path < e->path) {
      diff.added.push_back(a->path);
      ++a;
    } else {
      if (e->size != a->size || e->sha256 != a->sha256) diff.changed.push_back(e->path);
      ++e;
      ++a;
    }
  }
  diff.added.insert(diff.added.end(), unlisted_others.begin(), unlisted_others.end());
  std::sort(diff.changed.begin(), diff.changed.end());
  std::sort(diff.added.begin(), diff.added.end());
  diff.not_regular.assign(others.begin(), others.end());
  return diff;
}

}  // namespace camleak::certify
