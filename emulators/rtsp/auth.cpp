#include "emulators/rtsp/auth.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>

#include "emulators/rtsp/base64.hpp"
#include "emulators/rtsp/message.hpp"

namespace camleak::rtsp {
namespace {

// auth-param list: key=value or key="quoted \"value\"", comma separated.
std::vector<std::pair<std::string, std::string>> parse_auth_params(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
    size_t key_start = i;
    while (i < s.size() && s[i] != '=' && s[i] != ',') ++i;
    std::string key(trim(s.substr(key_start, i - key_start)));
    std::string value;
    if (i < s.size() && s[i] == '=') {
      ++i;
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (i < s.size() && s[i] == '"') {
        ++i;
        while (i < s.size() && s[i] != '"') {
          if (s[i] == '\\' && i + 1 < s.size()) ++i;
          value.push_back(s[i++]);
        }
        if (i < s.size()) ++i;  // closing quote
      } else {
        size_t v = i;
        while (i < s.size() && s[i] != ',') ++i;
        value = std::string(trim(s.substr(v, i - v)));
      }
    }
    if (!key.empty()) out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// Splits "Scheme rest" into scheme and rest.
std::pair<std::string_view, std::string_view> split_scheme(std::string_view v) {
  v = trim(v);
  size_t sp = v.find_first_of(" \t");
  if (sp == std::string_view::npos) return {v, {}};
  return {v.substr(0, sp), trim(v.substr(sp + 1))};
}

}  // namespace

std::string md5_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
    return {};
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

std::optional<AuthChallenge> parse_challenge(std::string_view value, std::string* error) {
  auto [scheme, rest] = split_scheme(value);
  AuthChallenge c;
  if (iequals(scheme, "Basic"))
    c.scheme = AuthScheme::basic;
  else if (iequals(scheme, "Digest"))
    c.scheme = AuthScheme::digest;
  else {
    if (error) *error = "WWW-Authenticate: unsupported scheme \"" + std::string(scheme) + "\"";
    return std::nullopt;
  }
  for (auto& [k, v] : parse_auth_params(rest)) {
    if (iequals(k, "realm"))
      c.realm = v;
    else if (iequals(k, "nonce"))
      c.nonce = v;
    else if (iequals(k, "opaque"))
      c.opaque = v;
    else if (iequals(k, "algorithm"))
      c.algorithm = v;
    else if (iequals(k, "stale"))
      c.stale = iequals(v, "true");
    else if (iequals(k, "qop")) {
      std::string_view q = v;
      while (!q.empty()) {
        size_t comma = q.find(',');
        std::string_view one = trim(q.substr(0, comma));
        if (!one.empty()) c.qop.emplace_back(one);
        if (comma == std::string_view::npos) break;
        q.remove_prefix(comma + 1);
      }
    }
  }
  if (c.scheme == AuthScheme::digest) {
    if (c.nonce.empty()) {
      if (error) *error = "WWW-Authenticate: Digest challenge without nonce";
      return std::nullopt;
    }
    if (!c.algorithm.empty() && !iequals(c.algorithm, "MD5")) {
      if (error) *error = "WWW-Authenticate: unsupported Digest algorithm \"" + c.algorithm + "\"";
      return std::nullopt;
    }
    bool qop_usable = c.qop.empty();
    for (const auto& q : c.qop) qop_usable = qop_usable || q == "auth";
    if (!qop_usable) {
      if (error) *error = "WWW-Authenticate: Digest offers no qop camleak supports (auth)";
      return std::nullopt;
    }
  }
  return c;
}

std::optional<AuthChallenge> choose_challenge(const std::vector<std::string_view>& values) {
  std::optional<AuthChallenge> basic;
  for (std::string_view v : values) {
    auto c = parse_challenge(v);
    if (!c) continue;
    if (c->scheme == AuthScheme::digest) return c;
    if (!basic) basic = std::move(c);
  }
  return basic;
}

std::string format_challenge(const AuthChallenge& c) {
  if (c.scheme == AuthScheme::basic) return "Basic realm=" + quote(c.realm);
  std::string s = "Digest realm=" + quote(c.realm) + ", nonce=" + quote(c.nonce);
  if (!c.qop.empty()) {
    std::string q;
    for (const auto& one : c.qop) q += (q.empty() ? "" : ",") + one;
    s += ", qop=" + quote(q);
  }
  if (!c.opaque.empty()) s += ", opaque=" + quote(c.opaque);
  if (!c.algorithm.empty()) s += ", algorithm=" + c.algorithm;
  if (c.stale) s += ", stale=TRUE";
  return s;
}

std::string basic_authorization(std::string_view user, std::string_view password) {
  std::string raw = std::string(user) + ":" + std::string(password);
  return "Basic " + base64_encode(raw);
}

std::optional<BasicCredentials> parse_basic_authorization(std::string_view value) {
  auto [scheme, rest] = split_scheme(value);
  if (!iequals(scheme, "Basic")) return std::nullopt;
  auto raw = base64_decode(rest);
  if (!raw) return std::nullopt;
  std::string_view text(reinterpret_cast<const char*>(raw->data()), raw->size());
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return BasicCredentials{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

std::string digest_response(std::string_view username, std::string_view realm,
                            std::string_view password, std::string_view method,
                            std::string_view uri, std::string_view nonce, std::string_view qop,
                            std::string_view nc, std::string_view cnonce) {
  std::string ha1 =
      md5_hex(std::string(username) + ":" + std::string(realm) + ":" + std::string(password));
  std::string ha2 = md5_hex(std::string(method) + ":" + std::string(uri));
  if (qop.empty()) return md5_hex(ha1 + ":" + std::string(nonce) + ":" + ha2);
  return md5_hex(ha1 + ":" + std::string(nonce) + ":" + std::string(nc) + ":" +
                 std::string(cnonce) + ":" + std::string(qop) + ":" + ha2);
}

std::string digest_authorization(const AuthChallenge& c, std::string_view user,
                                 std::string_view password, std::string_view method,
                                 std::string_view uri, std::string_view cnonce, uint32_t nc) {
  bool use_qop = false;
  for (const auto& q : c.qop) use_qop = use_qop || q == "auth";
  char nc_text[9];
  std::snprintf(nc_text, sizeof nc_text, "%08x", nc);
  std::string response = digest_response(user, c.realm, password, method, uri, c.nonce,
                                         use_qop ? "auth" : "", nc_text, cnonce);
  std::string s = "Digest username=" + quote(user) + ", realm=" + quote(c.realm) +
                  ", nonce=" + quote(c.nonce) + ", uri=" + quote(uri);
  if (use_qop) {
    s += ", qop=auth, nc=" + std::string(nc_text) + ", cnonce=" + quote(cnonce);
  }
  s += ", response=" + quote(response);
  if (!c.opaque.empty()) s += ", opaque=" + quote(c.opaque);
  if (!c.algorithm.empty()) s += ", algorithm=" + c.algorithm;
  return s;
}

std::optional<DigestCredentials> parse_digest_authorization(std::string_view value,
                                                            std::string* error) {
  auto [scheme, rest] = split_scheme(value);
  if (!iequals(scheme, "Digest")) {
    if (error) *error = "Authorization: scheme is not Digest";
    return std::nullopt;
  }
  DigestCredentials d;
  for (auto& [k, v] : parse_auth_params(rest)) {
    if (iequals(k, "username"))
      d.username = v;
    else if (iequals(k, "realm"))
      d.realm = v;
    else if (iequals(k, "nonce"))
      d.nonce = v;
    else if (iequals(k, "uri"))
      d.uri = v;
    else if (iequals(k, "response"))
      d.response = v;
    else if (iequals(k, "algorithm"))
      d.algorithm = v;
    else if (iequals(k, "cnonce"))
      d.cnonce = v;
    else if (iequals(k, "opaque"))
      d.opaque = v;
    else if (iequals(k, "qop"))
      d.qop = v;
    else if (iequals(k, "nc"))
      d.nc = v;
  }
  const char* missing = d.username.empty()                                       ? "username"
                        : d.nonce.empty()                                        ? "nonce"
                        : d.uri.empty()                                          ? "uri"
                        : d.response.empty()                                     ? "response"
                        : (!d.qop.empty() && (d.nc.empty() || d.cnonce.empty())) ? "nc/cnonce"
                                                                                 : nullptr;
  if (missing) {
    if (error) *error = std::string("Authorization: Digest without ") + missing;
    return std::nullopt;
  }
  if (!d.qop.empty() && d.qop != "auth") {
    if (error) *error = "Authorization: unsupported qop \"" + d.qop + "\"";
    return std::nullopt;
  }
  return d;
}

bool verify_digest(const DigestCredentials& d, std::string_view method, std::string_view password) {
  if (!d.algorithm.empty() && !iequals(d.algorithm, "MD5")) return false;
  std::string expected =
      digest_response(d.username, d.realm, password, method, d.uri, d.nonce, d.qop, d.nc, d.cnonce);
  std::string got = d.response;
  for (char& c : got) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  if (got.size() != expected.size()) return false;
  unsigned diff = 0;
  for (size_t i = 0; i < got.size(); ++i) diff |= static_cast<unsigned>(got[i] ^ expected[i]);
  return diff == 0;
}

std::optional<std::string> ClientAuthenticator::authorization(std::string_view method,
                                                              std::string_view uri) {
  if (!has_credentials()) return std::nullopt;
  if (!challenge_) {
    if (preemptive_basic_) return basic_authorization(user_, password_);
    return std::nullopt;
  }
  if (challenge_->scheme == AuthScheme::basic) return basic_authorization(user_, password_);
  char cnonce[17];
  std::snprintf(cnonce, sizeof cnonce, "%016llx", static_cast<unsigned long long>(rng_.next_u64()));
  return digest_authorization(*challenge_, user_, password_, method, uri, cnonce, ++nc_);
}

bool ClientAuthenticator::on_unauthorized(const std::vector<std::string_view>& www_authenticate) {
  if (!has_credentials()) return false;
  auto chosen = choose_challenge(www_authenticate);
  if (!chosen) return false;
  // Digest only: a server that offers just Basic would get the password in the clear.
  if (digest_only_ && chosen->scheme != AuthScheme::digest) return false;
  bool retry;
  if (chosen->stale) {
    retry = true;  // the nonce expired, the credentials were fine
  } else if (!challenge_) {
    // Our first 401. A Basic challenge after a preemptive Basic means wrong credentials.
    retry = chosen->scheme == AuthScheme::digest || !preemptive_basic_;
  } else {
    // We already answered a challenge: asking again means the credentials are wrong, unless
    // the server upgraded Basic to Digest.
    retry = challenge_->scheme == AuthScheme::basic && chosen->scheme == AuthScheme::digest;
  }
  challenge_ = std::move(chosen);
  nc_ = 0;
  if (retry) ++challenges_answered_;
  // A bound on retries whatever the server says, so a hostile server cannot loop us.
  return retry && challenges_answered_ <= 4;
}

}  // namespace camleak::rtsp
