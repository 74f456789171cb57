#pragma once
// The two cryptographic pieces of the identity stamp, on OpenSSL: the per-run HMAC key with a
// reusable HMAC-SHA256, and the SHA-256 "slice digest" that binds an SEI to the picture data of
// its own access unit. Both keep their OpenSSL context between calls (keying HMAC and fetching
// algorithms is the expensive part), so an instance belongs to one thread.
#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "emulators/h264/nal.hpp"

struct evp_mac_ctx_st;
struct evp_md_ctx_st;

namespace camleak::media {

// The run's secret: every SEI of a run is authenticated with it. A relay under test never sees it.
using RunKey = std::array<uint8_t, 32>;
// HMAC-SHA256 truncated to 16 bytes (RFC 2104 section 5 allows truncation to >= half the hash).
using Mac = std::array<uint8_t, 16>;
using Digest = std::array<uint8_t, 32>;

// A fresh random key from the OpenSSL CSPRNG (throws MediaError if it fails).
RunKey random_run_key();
// A key derived from a seed: reproducible runs and tests. SHA-256("camleak run key" || seed).
RunKey run_key_from_seed(uint64_t seed);

class HmacSha256 {
 public:
  explicit HmacSha256(const RunKey& key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  // Truncated HMAC over the concatenation of the parts.
  Mac mac(std::span<const ByteView> parts);

 private:
  struct Free {
    void operator()(evp_mac_ctx_st* context) const;
  };
  std::unique_ptr<evp_mac_ctx_st, Free> context_;
};

class SliceHasher {
 public:
  SliceHasher();
  ~SliceHasher();
  SliceHasher(const SliceHasher&) = delete;
  SliceHasher& operator=(const SliceHasher&) = delete;

  // SHA-256 over the VCL NAL units of an access unit (types 1-5, in order, each as a 4-byte
  // big-endian length and its escaped bytes); other NAL units (SPS, PPS, SEI) are skipped, so
  // stamping does not change the digest.
  Digest slice_digest(std::span<const Bytes> nals);

 private:
  struct Free {
    void operator()(evp_md_ctx_st* context) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> context_;
};

// Constant-time comparison (CRYPTO_memcmp), so MAC checks leak nothing through timing.
bool equal_macs(const Mac& a, const Mac& b);

}  // namespace camleak::media
