#include "harness/certify/directory_signing.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "harness/certify/signing.hpp"
#include "harness/core/errors.hpp"

namespace camleak::certify {
namespace {

namespace fs = std::filesystem;

// Read size when hashing: large enough for few system calls, small beside any pcap.
constexpr size_t kChunk = 64 * 1024;
// MANIFEST takes ~100 bytes a file: this is far past any report, and a planted giant is refused
// before it is read into memory.
constexpr size_t kMaxManifest = 64 * 1024 * 1024;
constexpr size_t kMaxSignatureFile = 4 * 1024;
constexpr size_t kMaxKeyCopy = 64 * 1024;

struct CloseFile {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FileHandle = std::unique_ptr<std::FILE, CloseFile>;

[[noreturn]] void bad_file(const fs::path& path, const std::string& message) {
  throw InputError(Diagnostic{.file = path.string(), .message = message});
}

std::string errno_text(int error) {
  return std::strerror(error);
}

// Opens a file of the record for reading: never through a link (the walk saw a file, but it may
// have been swapped since) and never blocking (a FIFO put in its place would hang the read).
// nullopt when it does not exist.
std::optional<FileHandle> open_record_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return std::nullopt;
    if (error == ELOOP) bad_file(path, "is a link; a signed record holds none");
    bad_file(path, "cannot open: " + errno_text(error));
  }
  std::FILE* file = ::fdopen(fd, "rb");
  if (file == nullptr) {
    const int error = errno;
    ::close(fd);
    bad_file(path, "cannot open: " + errno_text(error));
  }
  FileHandle handle(file);
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) bad_file(path, "is not a regular file");
  return handle;
}

// A file small enough to hold in memory (MANIFEST, MANIFEST.sig, MANIFEST.pub); nullopt when it
// does not exist.
std::optional<std::string> read_small_file(const fs::path& path, size_t limit) {
  const std::optional<FileHandle> file = open_record_file(path);
  if (!file) return std::nullopt;
  std::string text;
  char buffer[kChunk];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file->get())) > 0) {
    text.append(buffer, n);
    if (text.size() > limit)
      bad_file(path, "is too large (over " + std::to_string(limit) + " bytes)");
  }
  if (std::ferror(file->get())) bad_file(path, "cannot read: " + errno_text(errno));
  return text;
}

ManifestEntry hash_file(const fs::path& dir, const std::string& path, Sha256& sha) {
  const fs::path full = dir / path;
  const std::optional<FileHandle> file = open_record_file(full);
  if (!file) bad_file(full, "disappeared while the directory was read");
  std::vector<uint8_t> buffer(kChunk);
  uint64_t size = 0;
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file->get())) > 0) {
    sha.update(ByteView(buffer).first(n));
    size += n;  // what was hashed, not what stat said before: the two agree by construction
  }
  if (std::ferror(file->get())) bad_file(full, "cannot read: " + errno_text(errno));
  const Sha256Digest digest = sha.finish();
  return {path, size, lower_hex(digest)};
}

// What is below a directory: its regular files (the signing files at the top left out) and
// every other entry that is not a directory (links, devices, FIFOs, sockets), each by its path
// relative to the top. Links are never followed.
struct Listing {
  std::vector<std::string> files;
  std::vector<std::string> not_regular;
};

void walk(const fs::path& dir, const std::string& prefix, Listing& out) {
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const std::string path = prefix.empty() ? name : prefix + "/" + name;
    const fs::file_status status = entry.symlink_status();
    if (fs::is_directory(status)) {
      walk(entry.path(), path, out);
    } else if (!fs::is_regular_file(status)) {
      out.not_regular.push_back(path);
    } else if (!prefix.empty() || !is_signing_file(name)) {
      out.files.push_back(path);
    }
  }
}

Listing list_directory(const fs::path& dir) {
  Listing listing;
  try {
    walk(dir, "", listing);
  } catch (const fs::filesystem_error& e) {
    bad_file(e.path1().empty() ? dir : e.path1(), "cannot list: " + e.code().message());
  }
  std::sort(listing.files.begin(), listing.files.end());
  std::sort(listing.not_regular.begin(), listing.not_regular.end());
  return listing;
}

void require_directory(const fs::path& dir) {
  std::error_code error;
  const fs::file_status status = fs::status(dir, error);
  if (!fs::exists(status)) bad_file(dir, "no such directory");
  if (!fs::is_directory(status)) bad_file(dir, "is not a directory");
}

// Replaces `path` with `bytes` as a whole: readers see the old file or the new, never a part.
void write_atomically(const fs::path& path, std::string_view bytes) {
  static std::atomic<uint64_t> counter{0};
  const fs::path temp = path.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                        std::to_string(counter.fetch_add(1));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw HarnessError("cannot create " + temp.string() + ": " + errno_text(errno));
  std::FILE* file = ::fdopen(fd, "wb");
  if (file == nullptr) {
    const int error = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    throw HarnessError("cannot write " + temp.string() + ": " + errno_text(error));
  }
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size() &&
                       std::fflush(file) == 0 && ::fsync(fd) == 0;
  const int write_error = errno;
  const bool closed = std::fclose(file) == 0;  // closes fd too
  if (!written || !closed || ::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = written ? errno : write_error;
    ::unlink(temp.c_str());
    throw HarnessError("cannot write " + path.string() + ": " + errno_text(error));
  }
}

// Makes the renames into `dir` durable. Best effort: what they made visible is written already.
void flush_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

ByteView bytes_of(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// The fingerprint of the key in MANIFEST.pub, for a hint only: the copy is as untrusted as the
// rest of the directory. nullopt when there is none or it is no key.
std::optional<std::string> copied_key_fingerprint(const fs::path& dir) {
  try {
    const std::optional<std::string> pem = read_small_file(dir / kPublicKeyCopyFile, kMaxKeyCopy);
    if (!pem) return std::nullopt;
    return PublicKey::from_pem(*pem, std::string(kPublicKeyCopyFile)).fingerprint();
  } catch (const InputError&) {
    return std::nullopt;  // no readable key, no hint: the signature problem stands as it is
  }
}

// Why MANIFEST.sig does not vouch for `manifest_text` under `trusted`, or nullopt when it does.
std::optional<std::string> signature_problem(const fs::path& dir, std::string_view manifest_text,
                                             const PublicKey& trusted) {
  std::optional<std::string> text = read_small_file(dir / kSignatureFile, kMaxSignatureFile);
  if (!text) return std::string(kSignatureFile) + " is missing";
  // One line: the newline signing writes, or none (an editor may have taken it away).
  if (text->ends_with('\n')) text->pop_back();
  const std::optional<Signature> signature = parse_signature_text(*text);
  if (!signature) {
    return std::string(kSignatureFile) + " is not one line of base64 holding an Ed25519 signature";
  }
  if (trusted.verify(bytes_of(manifest_text), *signature)) return std::nullopt;
  std::string problem = "does not match " + std::string(kManifestFile);
  const std::optional<std::string> copied = copied_key_fingerprint(dir);
  if (copied && *copied != trusted.fingerprint()) {
    problem += " (" + std::string(kPublicKeyCopyFile) + " names key " + *copied +
               ", not the trusted " + trusted.fingerprint() + ": signed with another key?)";
  }
  return problem;
}

}  // namespace

SignResult sign_directory(const fs::path& dir, const fs::path& private_key_pem) {
  require_directory(dir);
  const PrivateKey key = PrivateKey::load_pem_file(private_key_pem);
  const Listing listing = list_directory(dir);
  if (!listing.not_regular.empty()) {
    std::vector<Diagnostic> problems;
    for (const std::string& path : listing.not_regular) {
      problems.push_back({.file = (dir / path).string(),
                          .message = "is a link or another non-regular file; a signed record "
                                     "holds only files and directories, so it cannot point "
                                     "outside itself"});
    }
    throw InputError(std::move(problems));
  }
  Sha256 sha;
  std::vector<ManifestEntry> entries;
  entries.reserve(listing.files.size());
  for (const std::string& path : listing.files) entries.push_back(hash_file(dir, path, sha));
  const Manifest manifest = make_manifest(std::move(entries));
  const std::string text = format_manifest(manifest);
  const Signature signature = key.sign(bytes_of(text));
  const PublicKey public_key = key.public_key();
  // The signature goes last: until it is in place, a reader finds the old pair or a mismatch,
  // never a new signature over an old MANIFEST.
  write_atomically(dir / kPublicKeyCopyFile, public_key.pem());
  write_atomically(dir / kManifestFile, text);
  write_atomically(dir / kSignatureFile, signature_text(signature) + "\n");
  flush_directory(dir);
  return {manifest.entries.size(), public_key.fingerprint()};
}

VerifyResult verify_directory(const fs::path& dir, const fs::path& public_key_pem) {
  require_directory(dir);
  const PublicKey trusted = PublicKey::load_pem_file(public_key_pem);
  const fs::path manifest_path = dir / kManifestFile;
  const std::optional<std::string> text = read_small_file(manifest_path, kMaxManifest);
  if (!text) bad_file(manifest_path, "no such file: the directory was never signed");

  VerifyResult result;
  result.fingerprint = trusted.fingerprint();
  result.signature_problem = signature_problem(dir, *text, trusted);
  Manifest expected;
  try {
    expected = parse_manifest(*text, manifest_path.string());
  } catch (const InputError& e) {
    // A signed MANIFEST this camleak cannot read (a newer format) is bad input; an unsigned one
    // that does not parse is one more sign of tampering.
    if (result.signature_ok()) throw;
    result.manifest_problem = e.what();
    return result;
  }
  result.files = expected.entries.size();

  const Listing listing = list_directory(dir);
  Manifest actual;
  Sha256 sha;
  for (const std::string& path : listing.files) {
    const bool listed =
        std::ranges::binary_search(expected.entries, path, {}, &ManifestEntry::path);
    // An unlisted file is "added" whatever it holds: it is not read (it may be huge).
    actual.entries.push_back(listed ? hash_file(dir, path, sha) : ManifestEntry{.path = path});
  }
  result.diff = compare_manifests(expected, actual, listing.not_regular);
  return result;
}

std::string sha256_of_file(const fs::path& path) {
  Sha256 sha;
  return hash_file(path.parent_path(), path.filename().string(), sha).sha256;
}

}  // namespace camleak::certify
