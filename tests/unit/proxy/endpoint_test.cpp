#include "harness/proxy/endpoint.hpp"

#include <gtest/gtest.h>

#include "harness/core/errors.hpp"

namespace camleak::proxy {
namespace {

TEST(ParseHostPort, AcceptsToxiproxySpellings) {
  auto hp = parse_host_port("127.0.0.1:8474", "listen");
  EXPECT_EQ(hp.host, "127.0.0.1");
  EXPECT_EQ(hp.port, 8474);
  hp = parse_host_port("[::1]:0", "listen");
  EXPECT_EQ(hp.host, "::1");
  EXPECT_EQ(hp.port, 0);
  hp = parse_host_port(":9000", "listen");
  EXPECT_EQ(hp.host, "");
  EXPECT_EQ(hp.port, 9000);
  EXPECT_EQ(parse_host_port("localhost:1", "upstream").host, "localhost");
}

TEST(ParseHostPort, RejectsBadTextNamingTheField) {
  for (const char* bad : {"127.0.0.1", "host:", "host:70000", "host:12a", "::1:80", "[::1]80"}) {
    try {
      parse_host_port(bad, "upstream");
      ADD_FAILURE() << bad;
    } catch (const InputError& e) {
      EXPECT_EQ(e.diagnostics().at(0).field, "upstream") << bad;
    }
  }
}

TEST(FormatHostPort, BracketsIpv6) {
  EXPECT_EQ(format_host_port(boost::asio::ip::make_address("::1"), 80), "[::1]:80");
  EXPECT_EQ(format_host_port(boost::asio::ip::make_address("10.0.0.1"), 80), "10.0.0.1:80");
}

}  // namespace
}  // namespace camleak::proxy
