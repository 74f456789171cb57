#pragma once
// Ed25519 keys and signatures, and the SHA-256 that manifests and key fingerprints rest on, on
// OpenSSL 3's EVP interface. Keys live in PEM files: the private key as unencrypted PKCS#8 (a
// file only its owner may read), the public key as SubjectPublicKeyInfo, the form
// `openssl pkey -pubout` prints, so either side can be checked with the openssl tool.
//
// Errors: a key file that cannot be read or holds the wrong kind of key is an InputError naming
// the file; OpenSSL failing at what cannot fail on good input (generating a key, signing) is a
// HarnessError. Every message from OpenSSL carries its error string.
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "harness/core/bytes.hpp"

struct evp_pkey_st;
struct evp_md_ctx_st;

namespace camleak::certify {

using Signature = std::array<uint8_t, 64>;
using RawPublicKey = std::array<uint8_t, 32>;
using Sha256Digest = std::array<uint8_t, 32>;

namespace detail {
struct FreeKey {
  void operator()(evp_pkey_st* key) const;
};
struct FreeDigest {
  void operator()(evp_md_ctx_st* context) const;
};
using KeyHandle = std::unique_ptr<evp_pkey_st, FreeKey>;
}  // namespace detail

class PublicKey {
 public:
  // A SubjectPublicKeyInfo PEM holding an Ed25519 key; `source` names the text in errors.
  static PublicKey from_pem(std::string_view pem, const std::string& source);
  static PublicKey load_pem_file(const std::filesystem::path& path);

  std::string pem() const;
  RawPublicKey raw() const;
  // The first 16 hex digits of SHA-256 over raw(): short enough to read out, and a key that
  // matches it by chance costs 2^64 tries.
  std::string fingerprint() const;
  // True when `signature` is this key's Ed25519 signature of exactly `message`.
  bool verify(ByteView message, ByteView signature) const;
  // Creates `path` (mode 0644); refuses an existing file (InputError).
  void write_pem_file(const std::filesystem::path& path) const;

 private:
  explicit PublicKey(detail::KeyHandle key) : key_(std::move(key)) {}
  friend class PrivateKey;
  detail::KeyHandle key_;
};

class PrivateKey {
 public:
  // A fresh key from OpenSSL's CSPRNG.
  static PrivateKey generate();
  // An unencrypted PKCS#8 PEM file holding an Ed25519 private key.
  static PrivateKey load_pem_file(const std::filesystem::path& path);

  PublicKey public_key() const;
  Signature sign(ByteView message) const;
  // Creates `path` with mode 0600 as PKCS#8 PEM; refuses an existing file (InputError), so a
  // key is never lost to a typo.
  void write_pem_file(const std::filesystem::path& path) const;

 private:
  explicit PrivateKey(detail::KeyHandle key) : key_(std::move(key)) {}
  detail::KeyHandle key_;
};

// A signature as the one line MANIFEST.sig holds (base64, 88 characters), and back: nullopt for
// anything but exactly that (another length, other characters, non-canonical padding).
std::string signature_text(const Signature& signature);
std::optional<Signature> parse_signature_text(std::string_view text);

// SHA-256 fed in pieces, so a file of any size is hashed through a small buffer.
class Sha256 {
 public:
  Sha256();
  void update(ByteView bytes);
  // The digest of everything fed since construction or the last finish(); starts over.
  Sha256Digest finish();

 private:
  std::unique_ptr<evp_md_ctx_st, detail::FreeDigest> context_;
};

std::string lower_hex(ByteView bytes);

// `camleak keygen`: the private key at `private_path` and its public key beside it, at
// `public_key_path_for(private_path)`. Refuses (InputError, writing nothing) when either exists.
struct KeyPairFiles {
  std::filesystem::path private_key;
  std::filesystem::path public_key;
  std::string fingerprint;
};
KeyPairFiles generate_key_pair_files(const std::filesystem::path& private_path);
// `path` with its extension replaced by .pub ("keys/vendor.pem" -> "keys/vendor.pub").
std::filesystem::path public_key_path_for(const std::filesystem::path& private_path);

}  // namespace camleak::certify
