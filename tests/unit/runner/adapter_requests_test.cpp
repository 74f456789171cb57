// An adapter's templates expanded for one run: SUT addresses as they are, entity values escaped
// where they land, query credentials appended, issued URLs checked against the declared address.
#include "harness/runner/adapter_requests.hpp"

#include <gtest/gtest.h>

#include "harness/core/errors.hpp"
#include "harness/runner/device_access.hpp"
#include "harness/runner/play_issuer.hpp"
#include "harness/scenario/adapter_loader.hpp"

namespace camleak::runner {
namespace {

SutEndpoints endpoints(const std::string& host) {
  SutEndpoints e;
  e.rtsp_host = host;
  e.rtsp_port = 8554;
  e.http_host = host;
  e.http_port = 8080;
  e.admin = HttpUrl{host, 9000, ""};
  return e;
}

scenario::Adapter cloud() {
  return scenario::load_adapter_file(CAMLEAK_SOURCE_DIR "/scenarios/adapters/reference-cloud.yaml");
}

TEST(AdapterRequests, TheContractExpandsToTheContractsUrls) {
  const auto& a = scenario::contract_adapter();
  const TemplateValues values(a, endpoints("127.0.0.1"), "r1");
  const AdapterHttpRequest r =
      expand_request(a.create_camera.http,
                     values.with({{"camera", "cam-1"}, {"owner", "user-1"}, {"secret", "s"}}),
                     "provisioning.create_camera.http");
  EXPECT_EQ(r.text(), "PUT http://127.0.0.1:9000/admin/cameras/cam-1");
  EXPECT_EQ(r.body, R"({"owner":"user-1","secret":"s"})");
  const StreamTarget play = expand_stream(
      a.play, values.with({{"camera", "cam-1"}, {"account", "user-1"}, {"token", "t"}}), "play");
  EXPECT_EQ(play.url.target, "/cameras/cam-1");
  EXPECT_EQ(upstream_of(play), "127.0.0.1:8554");
  EXPECT_EQ(play.scheme, scenario::AuthTemplate::Scheme::basic);
  EXPECT_EQ(play.user, "user-1");
}

TEST(AdapterRequests, EntityValuesAreEscapedAndAnIpv6HostStaysBracketed) {
  const auto& a = scenario::contract_adapter();
  const TemplateValues values(a, endpoints("::1"), "r1");
  const StreamTarget t = expand_stream(
      a.publish, values.with({{"camera", "a b/c"}, {"owner", "o"}, {"secret", "s"}}), "publish");
  EXPECT_EQ(t.url.host, "::1");
  EXPECT_EQ(t.url.target, "/cameras/a%20b%2Fc");
  EXPECT_EQ(upstream_of(t), "[::1]:8554");
}

TEST(AdapterRequests, QueryCredentialsAndHeadersOfTheCloudAdapter) {
  const scenario::Adapter a = cloud();
  const TemplateValues values(a, endpoints("127.0.0.1"), "r1");
  const StreamTarget snap = expand_stream(
      a.snapshot, values.with({{"camera", "cam-2"}, {"account", "u"}, {"token", "t k"}}),
      "snapshot");
  EXPECT_EQ(snap.url.target, "/v2/devices/cam-2/snapshot.jpg?access_token=t%20k");
  EXPECT_TRUE(http_auth_headers(snap).empty());
  const AdapterHttpRequest r =
      expand_request(a.create_account.http, values.with({{"account", "u"}, {"token", "t"}}), "x");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0],
            (std::pair<std::string, std::string>{"X-Api-Key", "camleak-reference-key"}));
  EXPECT_EQ(r.body, R"({"user_id":"u","password":"t"})");
  const StreamTarget publish = expand_stream(
      a.publish, values.with({{"camera", "c"}, {"owner", "u"}, {"secret", "s"}}), "publish");
  EXPECT_EQ(rtsp_credentials(publish).mode, rtsp::ClientCredentials::Mode::digest);
}

TEST(AdapterRequests, AnAddressTheSutDoesNotHaveIsBadInput) {
  const auto& a = scenario::contract_adapter();
  SutEndpoints e = endpoints("127.0.0.1");
  e.admin = {};
  const TemplateValues values(a, e, "r1");
  EXPECT_THROW(
      expand_request(a.create_account.http, values.with({{"account", "u"}, {"token", "t"}}), "x"),
      InputError);
}

TEST(AdapterRequests, TheContractFollowsTheSutsSchemesAndAdminPath) {
  const auto& a = scenario::contract_adapter();
  SutEndpoints e = endpoints("127.0.0.1");
  e.rtsp_secure = true;
  e.admin = HttpUrl{.host = "127.0.0.1", .port = 9443, .path = "/api", .secure = true};
  const TemplateValues values(a, e, "r1");
  EXPECT_EQ(
      expand_request(a.create_account.http, values.with({{"account", "u"}, {"token", "t"}}), "x")
          .text(),
      "PUT https://127.0.0.1:9443/api/admin/accounts/u");
  EXPECT_EQ(expand_stream(a.play, values.with({{"camera", "c"}, {"account", "u"}, {"token", "t"}}),
                          "play")
                .url.scheme,
            "rtsps");
}

TEST(AdapterRequests, AHeaderValueWithALineBreakIsNeverSent) {
  const scenario::Adapter a = cloud();
  const TemplateValues values(a, endpoints("127.0.0.1"), "r1");
  scenario::HttpTemplate t = a.play.issued->request;
  EXPECT_THROW(expand_request(
                   t, values.with({{"camera", "c"}, {"account", "u"}, {"token", "t\r\nX-Evil: 1"}}),
                   "play.issued.request"),
               InputError);
}

TEST(PlayIssuer, AnIssuedUrlMustBeAtTheDeclaredAddress) {
  const UrlParts address{"rtsp", "127.0.0.1", 8554, "/live/c"};
  const IssuedTarget ok =
      issued_target(R"({"stream": {"url": "rtsp://127.0.0.1:8554/live/c/tk", "expires_in": 60}})",
                    "/stream/url", address);
  EXPECT_EQ(ok.error, "");
  EXPECT_EQ(ok.target, "/live/c/tk");
  EXPECT_NE(issued_target(R"({"stream": {"url": "rtsp://10.0.0.9:8554/live/c/tk"}})", "/stream/url",
                          address)
                .error.find("not at the declared play address"),
            std::string::npos);
  EXPECT_NE(issued_target(R"({"url": 5})", "/url", address).error.find("no string at /url"),
            std::string::npos);
  EXPECT_NE(issued_target("<html>", "/url", address).error.find("not JSON"), std::string::npos);
}

}  // namespace
}  // namespace camleak::runner
