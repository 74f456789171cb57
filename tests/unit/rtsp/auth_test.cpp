#include "emulators/rtsp/auth.hpp"

#include <gtest/gtest.h>

#include "emulators/rtsp/base64.hpp"

namespace camleak::rtsp {
namespace {

// RFC 2617 section 3.5, the worked example.
const char* kChallenge =
    "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

TEST(Digest, Rfc2617WorkedExample) {
  EXPECT_EQ(
      digest_response("Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
                      "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", "0a4f113b"),
      "6629fae49393a05397450978507c4ef1");
}

TEST(Digest, ClientAnswerToTheRfcChallengeVerifiesOnTheServer) {
  auto c = parse_challenge(kChallenge);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->scheme, AuthScheme::digest);
  EXPECT_EQ(c->realm, "testrealm@host.com");
  EXPECT_EQ(c->qop, (std::vector<std::string>{"auth", "auth-int"}));
  std::string header =
      digest_authorization(*c, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b", 1);
  EXPECT_NE(header.find("response=\"6629fae49393a05397450978507c4ef1\""), std::string::npos)
      << header;
  EXPECT_NE(header.find("nc=00000001"), std::string::npos);
  EXPECT_NE(header.find("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""), std::string::npos);
  auto creds = parse_digest_authorization(header);
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->username, "Mufasa");
  EXPECT_EQ(creds->cnonce, "0a4f113b");
  EXPECT_TRUE(verify_digest(*creds, "GET", "Circle Of Life"));
  EXPECT_FALSE(verify_digest(*creds, "GET", "circle of life"));
  EXPECT_FALSE(verify_digest(*creds, "POST", "Circle Of Life"));
}

TEST(Digest, NoQopVariant) {
  AuthChallenge c;
  c.scheme = AuthScheme::digest;
  c.realm = "camleak";
  c.nonce = "abc123";
  std::string header =
      digest_authorization(c, "cam-1", "pw", "ANNOUNCE", "rtsp://h/cameras/cam-1", "x", 1);
  EXPECT_EQ(header.find("qop"), std::string::npos);
  auto creds = parse_digest_authorization(header);
  ASSERT_TRUE(creds);
  // RFC 2069 compatibility form: MD5(HA1:nonce:HA2).
  std::string ha1 = md5_hex("cam-1:camleak:pw");
  std::string ha2 = md5_hex("ANNOUNCE:rtsp://h/cameras/cam-1");
  EXPECT_EQ(creds->response, md5_hex(ha1 + ":abc123:" + ha2));
  EXPECT_TRUE(verify_digest(*creds, "ANNOUNCE", "pw"));
}

TEST(Digest, RejectsUnsupportedOrIncomplete) {
  std::string error;
  EXPECT_FALSE(parse_challenge("Digest realm=\"r\"", &error));  // no nonce
  EXPECT_FALSE(parse_challenge("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256", &error));
  EXPECT_NE(error.find("SHA-256"), std::string::npos);
  EXPECT_FALSE(parse_challenge("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"", &error));
  EXPECT_FALSE(parse_challenge("Negotiate abc", &error));
  EXPECT_FALSE(parse_digest_authorization("Digest username=\"u\", nonce=\"n\"", &error));
  EXPECT_NE(error.find("uri"), std::string::npos);
}

TEST(Basic, RoundTripAndChoice) {
  EXPECT_EQ(basic_authorization("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  auto b = parse_basic_authorization("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->user, "Aladdin");
  EXPECT_EQ(b->password, "open sesame");
  EXPECT_FALSE(parse_basic_authorization("Basic !!!"));
  EXPECT_FALSE(parse_basic_authorization("Bearer abc"));
  auto chosen = choose_challenge({"Basic realm=\"x\"", kChallenge});
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->scheme, AuthScheme::digest);
  auto basic = choose_challenge({"Basic realm=\"x\"", "Digest realm=\"r\""});
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->scheme, AuthScheme::basic);
  auto round = parse_challenge(format_challenge(*chosen));
  ASSERT_TRUE(round);
  EXPECT_EQ(round->nonce, chosen->nonce);
  EXPECT_EQ(round->opaque, chosen->opaque);
}

TEST(ClientAuthenticator, PreemptiveBasicThenDigestThenGiveUp) {
  ClientAuthenticator a("Mufasa", "Circle Of Life", 7);
  auto first = a.authorization("OPTIONS", "rtsp://h/x");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->rfind("Basic ", 0), 0u);
  // A Basic challenge after preemptive Basic: wrong password, no retry.
  ClientAuthenticator b("u", "p", 7);
  (void)b.authorization("OPTIONS", "rtsp://h/x");
  EXPECT_FALSE(b.on_unauthorized({"Basic realm=\"r\""}));
  // Digest challenge: retry with Digest, nonce count increments.
  EXPECT_TRUE(a.on_unauthorized({"Basic realm=\"r\"", kChallenge}));
  auto d1 = a.authorization("OPTIONS", "rtsp://h/x");
  auto d2 = a.authorization("DESCRIBE", "rtsp://h/x");
  ASSERT_TRUE(d1 && d2);
  auto c1 = parse_digest_authorization(*d1);
  auto c2 = parse_digest_authorization(*d2);
  ASSERT_TRUE(c1 && c2);
  EXPECT_EQ(c1->nc, "00000001");
  EXPECT_EQ(c2->nc, "00000002");
  EXPECT_NE(c1->cnonce, c2->cnonce);
  EXPECT_TRUE(verify_digest(*c2, "DESCRIBE", "Circle Of Life"));
  // Challenged again without stale: the password is wrong.
  EXPECT_FALSE(a.on_unauthorized({kChallenge}));
  // Stale nonce: retry.
  EXPECT_TRUE(a.on_unauthorized({std::string(kChallenge) + ", stale=TRUE"}));
  ClientAuthenticator none("", "", 1);
  EXPECT_FALSE(none.authorization("OPTIONS", "x"));
  EXPECT_FALSE(none.on_unauthorized({kChallenge}));
}

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(std::string_view(plain)), encoded);
    auto d = base64_decode(encoded);
    ASSERT_TRUE(d) << encoded;
    EXPECT_EQ(std::string(d->begin(), d->end()), plain);
  }
  EXPECT_TRUE(base64_decode("Zm9vYg"));  // unpadded accepted
  EXPECT_FALSE(base64_decode("Zm9v Yg=="));
  EXPECT_FALSE(base64_decode("Z"));
  EXPECT_FALSE(base64_decode("Zh=="));  // non-zero leftover bits
}

}  // namespace
}  // namespace camleak::rtsp
