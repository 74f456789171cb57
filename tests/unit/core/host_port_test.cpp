// The one host:port grammar: what it accepts, what it refuses and why, how it prints.
#include "harness/core/host_port.hpp"

#include <gtest/gtest.h>

namespace camleak {
namespace {

TEST(ParseAuthority, AcceptsHostsPortsAndBracketedIpv6) {
  struct Case {
    const char* text;
    const char* host;
    std::optional<uint16_t> port;
  };
  for (const Case& c : {Case{"127.0.0.1:80", "127.0.0.1", 80}, Case{"localhost:0", "localhost", 0},
                        Case{"[::1]:8554", "::1", 8554}, Case{":9000", "", 9000},
                        Case{"example", "example", std::nullopt},
                        Case{"[::1]", "::1", std::nullopt}, Case{"h:65535", "h", 65535}}) {
    const AuthorityParse p = parse_authority(c.text);
    ASSERT_TRUE(p.authority) << c.text << ": " << p.error;
    EXPECT_EQ(p.authority->host, c.host) << c.text;
    EXPECT_EQ(p.authority->port, c.port) << c.text;
  }
}

TEST(ParseAuthority, RefusesWithAReason) {
  struct Case {
    const char* text;
    const char* reason;
  };
  for (const Case& c :
       {Case{"::1:80", "IPv6 addresses need brackets"}, Case{"[::1", "unterminated [IPv6] address"},
        Case{"[::1]80", "junk after the [IPv6] address"},
        Case{"h:", "port \"\" is not a number 0..65535"},
        Case{"h:65536", "port \"65536\" is not a number 0..65535"},
        Case{"h:12a", "port \"12a\" is not a number 0..65535"},
        Case{"h:-1", "port \"-1\" is not a number 0..65535"}}) {
    const AuthorityParse p = parse_authority(c.text);
    EXPECT_FALSE(p.authority) << c.text;
    EXPECT_EQ(p.error, c.reason) << c.text;
  }
}

TEST(FormatHostPort, BracketsIpv6Only) {
  EXPECT_EQ(format_host_port("::1", 80), "[::1]:80");
  EXPECT_EQ(format_host_port("10.0.0.1", 80), "10.0.0.1:80");
  EXPECT_EQ(format_host_port(HostPort{"localhost", 0}), "localhost:0");
  // What it prints, it parses back.
  const auto back = parse_authority(format_host_port("fe80::1", 554));
  ASSERT_TRUE(back.authority);
  EXPECT_EQ(back.authority->host, "fe80::1");
  EXPECT_EQ(back.authority->port, 554);
}

}  // namespace
}  // namespace camleak
