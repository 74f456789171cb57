#include "harness/certify/signing.hpp"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "harness/core/errors.hpp"

namespace camleak::certify {

void detail::FreeKey::operator()(evp_pkey_st* key) const {
  EVP_PKEY_free(key);
}

void detail::FreeDigest::operator()(evp_md_ctx_st* context) const {
  EVP_MD_CTX_free(context);
}

namespace {

namespace fs = std::filesystem;

struct FreeBio {
  void operator()(BIO* bio) const { BIO_free_all(bio); }
};
using BioHandle = std::unique_ptr<BIO, FreeBio>;
using DigestHandle = std::unique_ptr<EVP_MD_CTX, detail::FreeDigest>;

// Key files are a few hundred bytes: anything much larger is the wrong file.
constexpr size_t kMaxKeyFile = 64 * 1024;
constexpr size_t kReadChunk = 4096;
constexpr size_t kSignatureBytes = std::tuple_size_v<Signature>;
// Base64 of 64 bytes: 22 groups of 4 characters, the last one padded with "==".
constexpr size_t kSignatureTextLength = (kSignatureBytes + 2) / 3 * 4;

// The oldest error OpenSSL queued on this thread; the queue is emptied so that a later message
// never carries a stale error.
std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "OpenSSL gave no reason";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

[[noreturn]] void fail(const std::string& what) {
  throw HarnessError(what + ": " + openssl_error());
}

[[noreturn]] void bad_key_file(const std::string& file, const std::string& message) {
  throw InputError(Diagnostic{.file = file, .message = message});
}

// Refuses to prompt on the terminal for the password of an encrypted key: there is no one to ask
// in CI, and camleak writes unencrypted keys only.
int no_password(char*, int, int, void*) {
  return 0;
}

// The label of the first PEM block ("PRIVATE KEY", "PUBLIC KEY", "RSA PRIVATE KEY"), or "".
std::string_view pem_label(std::string_view text) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  const size_t at = text.find(kBegin);
  if (at == std::string_view::npos) return {};
  const size_t start = at + kBegin.size();
  const size_t end = text.find("-----", start);
  return end == std::string_view::npos ? std::string_view{} : text.substr(start, end - start);
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Text wiped from memory when it goes: a key file may hold a private key. Its room is reserved
// once, so growing it leaves no stray copies in freed memory.
struct WipedText {
  WipedText() { bytes.reserve(kMaxKeyFile + kReadChunk); }
  ~WipedText() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
  WipedText(const WipedText&) = delete;
  WipedText& operator=(const WipedText&) = delete;
  std::string bytes;
};

// Reads the key file at `path` into `out`, which is the caller's so that it is wiped even when
// this throws half-way.
void read_key_file(const fs::path& path, WipedText& out) {
  errno = 0;
  BioHandle file(BIO_new_file(path.c_str(), "rb"));
  if (!file) {
    const int error = errno;
    ERR_clear_error();
    bad_key_file(path.string(), std::string("cannot read: ") +
                                    (error ? std::strerror(error) : "OpenSSL could not open it"));
  }
  char buffer[kReadChunk];
  int n = 0;
  while ((n = BIO_read(file.get(), buffer, sizeof buffer)) > 0) {
    out.bytes.append(buffer, static_cast<size_t>(n));
    if (out.bytes.size() > kMaxKeyFile) break;
  }
  const int error = errno;
  OPENSSL_cleanse(buffer, sizeof buffer);
  if (out.bytes.size() > kMaxKeyFile) bad_key_file(path.string(), "is too large to be a key file");
  if (n < 0) {
    ERR_clear_error();
    bad_key_file(path.string(), std::string("cannot read: ") +
                                    (error ? std::strerror(error) : "OpenSSL could not read it"));
  }
}

BioHandle memory_bio(std::string_view text) {
  BioHandle bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) fail("BIO_new_mem_buf");
  return bio;
}

void require_ed25519(const EVP_PKEY* key, const std::string& source) {
  if (EVP_PKEY_get_id(key) == EVP_PKEY_ED25519) return;
  const char* type = EVP_PKEY_get0_type_name(key);
  bad_key_file(source, std::string("holds a key of type ") + (type ? type : "unknown") +
                           ", not Ed25519 (camleak keygen makes one)");
}

RawPublicKey raw_public_key(const EVP_PKEY* key) {
  RawPublicKey raw;
  size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(key, raw.data(), &length) != 1 || length != raw.size()) {
    fail("EVP_PKEY_get_raw_public_key");
  }
  return raw;
}

// Creates `path`, never over an existing file, with `mode`; `write` fills it through a BIO, then
// it is flushed to disk. On any failure the half-written file is removed again.
template <class Write>
void create_key_file(const fs::path& path, mode_t mode, Write write) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) {
    const int error = errno;
    if (error == EEXIST) {
      bad_key_file(path.string(),
                   "already exists; camleak never overwrites a key file (remove it, or choose "
                   "another path)");
    }
    bad_key_file(path.string(), std::string("cannot create: ") + std::strerror(error));
  }
  BioHandle bio(BIO_new_fd(fd, BIO_CLOSE));
  if (!bio) {
    ::close(fd);
    ::unlink(path.c_str());
    fail("BIO_new_fd");
  }
  errno = 0;
  if (write(bio.get()) != 1 || BIO_flush(bio.get()) != 1 || ::fsync(fd) != 0) {
    const std::string reason = errno ? std::strerror(errno) : openssl_error();
    ERR_clear_error();
    bio.reset();
    ::unlink(path.c_str());
    throw HarnessError("cannot write " + path.string() + ": " + reason);
  }
}

}  // namespace

PublicKey PublicKey::from_pem(std::string_view pem, const std::string& source) {
  if (contains(pem_label(pem), "PRIVATE KEY")) {
    bad_key_file(source,
                 "holds a private key; verifying takes the public key (the .pub file camleak "
                 "keygen wrote beside it), which is the one to hand out");
  }
  const BioHandle bio = memory_bio(pem);
  detail::KeyHandle key(PEM_read_bio_PUBKEY(bio.get(), nullptr, no_password, nullptr));
  if (!key) bad_key_file(source, "holds no PEM public key (" + openssl_error() + ")");
  require_ed25519(key.get(), source);
  return PublicKey(std::move(key));
}

PublicKey PublicKey::load_pem_file(const fs::path& path) {
  WipedText text;
  read_key_file(path, text);
  return from_pem(text.bytes, path.string());
}

std::string PublicKey::pem() const {
  BioHandle bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) fail("PEM_write_bio_PUBKEY");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

RawPublicKey PublicKey::raw() const {
  return raw_public_key(key_.get());
}

std::string PublicKey::fingerprint() const {
  Sha256 sha;
  sha.update(raw());
  const Sha256Digest digest = sha.finish();
  return lower_hex(ByteView(digest).first(8));
}

bool PublicKey::verify(ByteView message, ByteView signature) const {
  if (signature.size() != kSignatureBytes) return false;
  DigestHandle context(EVP_MD_CTX_new());
  if (!context) fail("EVP_MD_CTX_new");
  // Ed25519 hashes the message itself (PureEdDSA): no digest is named.
  if (EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key_.get()) != 1) {
    fail("EVP_DigestVerifyInit");
  }
  const int verdict = EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                                       message.data(), message.size());
  // A signature that does not match queues an error: it is an answer here, not a failure.
  ERR_clear_error();
  return verdict == 1;
}

void PublicKey::write_pem_file(const fs::path& path) const {
  create_key_file(path, 0644, [this](BIO* bio) { return PEM_write_bio_PUBKEY(bio, key_.get()); });
}

PrivateKey PrivateKey::generate() {
  detail::KeyHandle key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) fail("EVP_PKEY_Q_keygen(ED25519)");
  return PrivateKey(std::move(key));
}

PrivateKey PrivateKey::load_pem_file(const fs::path& path) {
  WipedText text;
  read_key_file(path, text);
  const std::string_view label = pem_label(text.bytes);
  if (contains(label, "PUBLIC KEY")) {
    bad_key_file(path.string(),
                 "holds a public key; signing takes the private key (the --out file of camleak "
                 "keygen)");
  }
  if (contains(label, "ENCRYPTED")) {
    bad_key_file(path.string(),
                 "is encrypted; camleak reads unencrypted PKCS#8 keys (openssl pkey -in FILE "
                 "-out PLAIN.pem decrypts one)");
  }
  const BioHandle bio = memory_bio(text.bytes);
  detail::KeyHandle key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr));
  if (!key) bad_key_file(path.string(), "holds no PEM private key (" + openssl_error() + ")");
  require_ed25519(key.get(), path.string());
  return PrivateKey(std::move(key));
}

PublicKey PrivateKey::public_key() const {
  const RawPublicKey raw = raw_public_key(key_.get());
  detail::KeyHandle key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size()));
  if (!key) fail("EVP_PKEY_new_raw_public_key");
  return PublicKey(std::move(key));
}

Signature PrivateKey::sign(ByteView message) const {
  DigestHandle context(EVP_MD_CTX_new());
  if (!context) fail("EVP_MD_CTX_new");
  if (EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key_.get()) != 1) {
    fail("EVP_DigestSignInit");
  }
  Signature signature;
  size_t length = signature.size();
  if (EVP_DigestSign(context.get(), signature.data(), &length, message.data(), message.size()) !=
          1 ||
      length != signature.size()) {
    fail("EVP_DigestSign");
  }
  return signature;
}

void PrivateKey::write_pem_file(const fs::path& path) const {
  create_key_file(path, 0600, [this](BIO* bio) {
    return PEM_write_bio_PKCS8PrivateKey(bio, key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
}

std::string signature_text(const Signature& signature) {
  unsigned char text[kSignatureTextLength + 1];  // EVP_EncodeBlock adds a NUL
  const int length = EVP_EncodeBlock(text, signature.data(), static_cast<int>(signature.size()));
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(length));
}

std::optional<Signature> parse_signature_text(std::string_view text) {
  if (text.size() != kSignatureTextLength) return std::nullopt;
  unsigned char bytes[kSignatureTextLength / 4 * 3];  // the padding decodes to zero bytes
  if (EVP_DecodeBlock(bytes, reinterpret_cast<const unsigned char*>(text.data()),
                      static_cast<int>(text.size())) != static_cast<int>(sizeof bytes)) {
    ERR_clear_error();
    return std::nullopt;
  }
  Signature signature;
  std::copy_n(bytes, signature.size(), signature.begin());
  // EVP_DecodeBlock is lenient (blanks at either end, any padding bits): only the one canonical
  // spelling of the signature counts.
  if (signature_text(signature) != text) return std::nullopt;
  return signature;
}

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (!context_) fail("EVP_MD_CTX_new");
  if (EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) fail("EVP_DigestInit_ex");
}

void Sha256::update(ByteView bytes) {
  if (EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size()) != 1) fail("EVP_DigestUpdate");
}

Sha256Digest Sha256::finish() {
  Sha256Digest digest;
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1 || length != digest.size()) {
    fail("EVP_DigestFinal_ex");
  }
  if (EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) fail("EVP_DigestInit_ex");
  return digest;
}

std::string lower_hex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

fs::path public_key_path_for(const fs::path& private_path) {
  return fs::path(private_path).replace_extension(".pub");
}

KeyPairFiles generate_key_pair_files(const fs::path& private_path) {
  const fs::path public_path = public_key_path_for(private_path);
  if (public_path == private_path) {
    bad_key_file(private_path.string(),
                 "ends in .pub, the name of the public key beside it; name the private key "
                 "KEY.pem");
  }
  // Both are checked before either is written, so a refusal leaves no half pair behind.
  for (const fs::path& path : {private_path, public_path}) {
    std::error_code ignored;  // a path that cannot be checked fails at its creation instead
    if (fs::exists(fs::symlink_status(path, ignored))) {
      bad_key_file(path.string(),
                   "already exists; camleak never overwrites a key file (remove it, or choose "
                   "another --out)");
    }
  }
  const PrivateKey key = PrivateKey::generate();
  key.write_pem_file(private_path);
  const PublicKey public_key = key.public_key();
  try {
    public_key.write_pem_file(public_path);
  } catch (...) {
    std::error_code ignored;  // best effort: the error being rethrown is the one to report
    fs::remove(private_path, ignored);
    throw;
  }
  return {private_path, public_path, public_key.fingerprint()};
}

}  // namespace camleak::certify
