#include "emulators/media/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <string>

#include "emulators/media/media_error.hpp"

namespace camleak::media {
namespace {

[[noreturn]] void throw_openssl(const char* what) {
  const unsigned long code = ERR_get_error();
  char text[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  throw MediaError(std::string(what) + ": " + text);
}

}  // namespace

RunKey random_run_key() {
  RunKey key;
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) throw_openssl("RAND_bytes");
  return key;
}

RunKey run_key_from_seed(uint64_t seed) {
  static constexpr char kLabel[] = "camleak run key";
  uint8_t message[sizeof kLabel - 1 + 8];
  std::copy(kLabel, kLabel + sizeof kLabel - 1, message);
  for (int i = 0; i < 8; ++i)
    message[sizeof kLabel - 1 + i] = static_cast<uint8_t>(seed >> (56 - 8 * i));
  RunKey key;
  unsigned int length = 0;
  if (EVP_Digest(message, sizeof message, key.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw_openssl("EVP_Digest(sha256)");
  }
  return key;
}

void HmacSha256::Free::operator()(evp_mac_ctx_st* context) const {
  EVP_MAC_CTX_free(context);
}

HmacSha256::HmacSha256(const RunKey& key) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (!mac) throw_openssl("EVP_MAC_fetch(HMAC)");
  context_.reset(EVP_MAC_CTX_new(mac));
  EVP_MAC_free(mac);  // the context holds its own reference
  if (!context_) throw_openssl("EVP_MAC_CTX_new");
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(context_.get(), key.data(), key.size(), params) != 1) {
    throw_openssl("EVP_MAC_init");
  }
}

HmacSha256::~HmacSha256() = default;

Mac HmacSha256::mac(std::span<const ByteView> parts) {
  // Re-initialising with a null key reuses the keyed state: no re-derivation of the key pads.
  if (EVP_MAC_init(context_.get(), nullptr, 0, nullptr) != 1) throw_openssl("EVP_MAC_init");
  for (ByteView part : parts) {
    if (EVP_MAC_update(context_.get(), part.data(), part.size()) != 1) {
      throw_openssl("EVP_MAC_update");
    }
  }
  uint8_t full[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (EVP_MAC_final(context_.get(), full, &length, sizeof full) != 1 || length < 16) {
    throw_openssl("EVP_MAC_final");
  }
  Mac out;
  std::copy(full, full + out.size(), out.begin());
  return out;
}

void SliceHasher::Free::operator()(evp_md_ctx_st* context) const {
  EVP_MD_CTX_free(context);
}

SliceHasher::SliceHasher() : context_(EVP_MD_CTX_new()) {
  if (!context_) throw_openssl("EVP_MD_CTX_new");
}

SliceHasher::~SliceHasher() = default;

Digest SliceHasher::slice_digest(std::span<const Bytes> nals) {
  if (EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) {
    throw_openssl("EVP_DigestInit_ex");
  }
  for (const Bytes& nal : nals) {
    if (!h264::is_vcl(nal)) continue;
    const auto size = static_cast<uint32_t>(nal.size());
    const uint8_t length[4] = {static_cast<uint8_t>(size >> 24), static_cast<uint8_t>(size >> 16),
                               static_cast<uint8_t>(size >> 8), static_cast<uint8_t>(size)};
    if (EVP_DigestUpdate(context_.get(), length, sizeof length) != 1 ||
        EVP_DigestUpdate(context_.get(), nal.data(), nal.size()) != 1) {
      throw_openssl("EVP_DigestUpdate");
    }
  }
  Digest out;
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_.get(), out.data(), &length) != 1) {
    throw_openssl("EVP_DigestFinal_ex");
  }
  return out;
}

bool equal_macs(const Mac& a, const Mac& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace camleak::media
