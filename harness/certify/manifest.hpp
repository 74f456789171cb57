#pragma once
// The manifest of a signed record: every regular file of a directory with its size and SHA-256,
// as text that is signed byte for byte. Pure: the hashing and the directory walk are
// directory_signing's.
//
//   camleak-manifest 1
//   <sha256, 64 lowercase hex>  <size in bytes>  <path relative to the directory, '/' separated>
//   ...
//
// One line per file, sorted by path in byte order, every line ending in '\n'. The header names
// the format's version so it can evolve; a reader refuses versions it does not know. Paths are
// the rest of the line after the second double space, so they may hold spaces, but never a
// control character (a newline would forge a line).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace camleak::certify {

// The files signing writes at the top of the directory; the manifest never lists them.
inline constexpr std::string_view kManifestFile = "MANIFEST";
inline constexpr std::string_view kSignatureFile = "MANIFEST.sig";
// An untrusted convenience copy of the signer's public key: the verifier brings its own.
inline constexpr std::string_view kPublicKeyCopyFile = "MANIFEST.pub";
inline constexpr std::string_view kManifestHeader = "camleak-manifest 1";

// True for the three files above (at the top level only: evidence/MANIFEST is a record file).
bool is_signing_file(std::string_view path);

struct ManifestEntry {
  std::string path;  // relative, '/' separated
  uint64_t size = 0;
  std::string sha256;  // 64 lowercase hex digits
  bool operator==(const ManifestEntry&) const = default;
};

struct Manifest {
  std::vector<ManifestEntry> entries;  // sorted by path (byte order), no path twice
  bool operator==(const Manifest&) const = default;
};

// Why `path` cannot be listed (empty, absolute, an empty/./.. component, a control character),
// or nullopt when it can.
std::optional<std::string> path_problem(std::string_view path);
// `path` as messages show it: control characters as \n, \t or \xNN, so a hostile name cannot
// break the line it is printed on.
std::string printable_path(std::string_view path);

// Sorts the entries; throws InputError naming every path that cannot be listed or comes twice.
Manifest make_manifest(std::vector<ManifestEntry> entries);
// The text above (of a manifest make_manifest or parse_manifest produced).
std::string format_manifest(const Manifest& manifest);
// Reads the text strictly: the header, then entries exactly as format_manifest writes them, in
// order. Throws InputError with a Diagnostic at `file`:line for every bad line.
Manifest parse_manifest(std::string_view text, const std::string& file);

// How a directory differs from the manifest it was signed with; each list sorted by path.
struct ManifestDiff {
  std::vector<std::string> changed;  // listed and present, but another size or hash
  std::vector<std::string> missing;  // listed, not in the directory
  std::vector<std::string> added;    // in the directory, not listed
  // Those of `changed` and `added` that are links or other non-regular files (never followed).
  std::vector<std::string> not_regular;
  bool empty() const { return changed.empty() && missing.empty() && added.empty(); }
  bool operator==(const ManifestDiff&) const = default;
};

// `actual` lists the directory's regular files; `not_regular` the paths of its other entries
// (links, devices, sockets), which count as changed where a file was listed and added elsewhere.
ManifestDiff compare_manifests(const Manifest& expected, const Manifest& actual,
                               const std::vector<std::string>& not_regular = {});

}  // namespace camleak::certify
