#pragma once
// Making a report directory tamper-evident, and checking it: the file I/O around manifest.hpp
// (what is listed) and signing.hpp (the keys).
//
// sign_directory hashes every regular file below `dir` (streamed, so pcaps of any size go
// through a small buffer), then writes at its top, each atomically (a temporary file renamed
// into place): MANIFEST (manifest.hpp), MANIFEST.sig (the base64 Ed25519 signature over the exact
// bytes of MANIFEST, one line) and MANIFEST.pub (the signer's public key, a convenience copy
// for humans: verification never trusts it). A record holding a link or another non-regular
// file is refused: a signed record must not point outside itself.
//
// verify_directory checks MANIFEST.sig against MANIFEST with the public key the caller trusts,
// then the directory against MANIFEST, and reports every difference by name. Links are reported
// (as changed or added files), never followed.
//
// Errors: bad input (no such directory, no MANIFEST, a key file that is unreadable or of the
// wrong kind, a file that cannot be read) is an InputError; being unable to write into `dir` is a
// HarnessError. Tampering is never an exception: it is the VerifyResult.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "harness/certify/manifest.hpp"

namespace camleak::certify {

struct SignResult {
  size_t files = 0;         // entries in MANIFEST
  std::string fingerprint;  // of the key that signed (PublicKey::fingerprint)
};

SignResult sign_directory(const std::filesystem::path& dir,
                          const std::filesystem::path& private_key_pem);

struct VerifyResult {
  size_t files = 0;         // entries in MANIFEST as it stands (trusted only when signature_ok)
  std::string fingerprint;  // of the trusted key
  // Why the signature does not hold ("does not match MANIFEST", "MANIFEST.sig is missing", ...);
  // nullopt when it holds.
  std::optional<std::string> signature_problem;
  // MANIFEST does not read as a manifest (it can only come with a signature problem: a signed
  // MANIFEST this camleak cannot read is bad input). The files are then not compared.
  std::optional<std::string> manifest_problem;
  ManifestDiff diff;  // the directory against MANIFEST, whose signature may have failed

  bool signature_ok() const { return !signature_problem; }
  bool ok() const { return signature_ok() && !manifest_problem && diff.empty(); }
};

// The SHA-256 (64 lowercase hex digits) of one file, streamed (a certification names each
// scenario and the DUT declaration by it). Throws InputError when it cannot be read.
std::string sha256_of_file(const std::filesystem::path& path);

VerifyResult verify_directory(const std::filesystem::path& dir,
                              const std::filesystem::path& public_key_pem);

}  // namespace camleak::certify
