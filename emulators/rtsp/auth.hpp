#pragma once
// RTSP authentication (RFC 2326 section 12.5 defers to HTTP): Basic, and Digest per RFC 2617
// with MD5, qop=auth or no qop. Both sides: the client answers challenges, the relay
// issues challenges and verifies answers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/rng.hpp"

namespace camleak::rtsp {

enum class AuthScheme { basic, digest };

// One WWW-Authenticate challenge.
struct AuthChallenge {
  AuthScheme scheme = AuthScheme::basic;
  std::string realm;
  std::string nonce;             // digest
  std::string opaque;            // digest, echoed back verbatim
  std::string algorithm;         // digest: empty or "MD5" (only MD5 is supported)
  std::vector<std::string> qop;  // digest: offered qop values ("auth", "auth-int")
  bool stale = false;            // digest: nonce expired, retry with the new one
};

std::optional<AuthChallenge> parse_challenge(std::string_view www_authenticate,
                                             std::string* error = nullptr);
// Picks the strongest supported challenge from every WWW-Authenticate value of a 401:
// Digest with MD5 over Basic. nullopt when none is usable.
std::optional<AuthChallenge> choose_challenge(const std::vector<std::string_view>& values);
std::string format_challenge(const AuthChallenge& challenge);

// Basic: "Basic base64(user:password)".
std::string basic_authorization(std::string_view user, std::string_view password);
struct BasicCredentials {
  std::string user;
  std::string password;
};
std::optional<BasicCredentials> parse_basic_authorization(std::string_view authorization);

// The fields of a Digest Authorization header (RFC 2617 section 3.2.2).
struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;  // 32 lower-case hex digits
  std::string algorithm;
  std::string cnonce;
  std::string opaque;
  std::string qop;  // "auth" or empty
  std::string nc;   // 8 hex digits, with qop
};

std::string md5_hex(std::string_view data);
// request-digest of RFC 2617 section 3.2.2.1 (MD5, qop "auth" or none).
std::string digest_response(std::string_view username, std::string_view realm,
                            std::string_view password, std::string_view method,
                            std::string_view uri, std::string_view nonce, std::string_view qop,
                            std::string_view nc, std::string_view cnonce);
// Builds a Digest Authorization value answering `challenge` (qop=auth when offered).
std::string digest_authorization(const AuthChallenge& challenge, std::string_view user,
                                 std::string_view password, std::string_view method,
                                 std::string_view uri, std::string_view cnonce, uint32_t nc);
std::optional<DigestCredentials> parse_digest_authorization(std::string_view authorization,
                                                            std::string* error = nullptr);
// Server side: recomputes the response from the password and compares (constant time).
// The caller checks username, realm and that nonce is one it issued.
bool verify_digest(const DigestCredentials& credentials, std::string_view method,
                   std::string_view password);

// Client-side state: credentials, the last challenge and the nonce count. The RTSP client
// asks it for an Authorization value per request and feeds it every 401.
class ClientAuthenticator {
 public:
  ClientAuthenticator(std::string user, std::string password, uint64_t seed)
      : user_(std::move(user)), password_(std::move(password)), rng_(seed) {}

  bool has_credentials() const { return !user_.empty() || !password_.empty(); }
  // Send Basic before any challenge (saves a round trip against the SUT contract's Basic).
  void set_preemptive_basic(bool on) { preemptive_basic_ = on; }
  // Answer Digest challenges only (never send the password as Basic).
  void set_digest_only(bool on) { digest_only_ = on; }

  // Authorization header value for the next request, or nullopt to send none.
  std::optional<std::string> authorization(std::string_view method, std::string_view uri);
  // Consumes the WWW-Authenticate values of a 401. True when retrying the request with new
  // credentials can help (a first challenge, or a stale nonce); false means give up.
  bool on_unauthorized(const std::vector<std::string_view>& www_authenticate);

 private:
  std::string user_;
  std::string password_;
  Rng rng_;
  bool preemptive_basic_ = true;
  bool digest_only_ = false;
  std::optional<AuthChallenge> challenge_;
  uint32_t nc_ = 0;
  uint32_t challenges_answered_ = 0;
};

}  // namespace camleak::rtsp
