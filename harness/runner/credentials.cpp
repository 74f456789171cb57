#include "harness/runner/credentials.hpp"

#include <openssl/rand.h>

#include "harness/core/errors.hpp"

namespace camleak::runner {
namespace {

std::vector<uint8_t> random_bytes(size_t n) {
  std::vector<uint8_t> out(n);
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1)
    throw HarnessError("OpenSSL could not produce random bytes");
  return out;
}

std::string random_token() {
  static constexpr char kAlphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out;
  for (uint8_t b : random_bytes(24)) out += kAlphabet[b % (sizeof kAlphabet - 1)];
  return out;
}

}  // namespace

Credentials make_credentials(const scenario::Fleet& fleet) {
  Credentials c;
  for (const auto& account : fleet.accounts) c.account_tokens[account.name] = random_token();
  for (const auto& camera : fleet.cameras) c.camera_secrets[camera.name] = random_token();
  c.hmac_key = media::random_run_key();
  c.run_id = random_token().substr(0, 10);
  return c;
}

}  // namespace camleak::runner
