#pragma once
// host:port, the one grammar for every address camleak reads: proxy links ("listen",
// "upstream"), the relay's listen addresses, and the authority of http:// and rtsp:// URLs.
//   "127.0.0.1:80"  "localhost:80"  "[::1]:80"  ":80" (no host)  "example" / "[::1]" (no port)
// An IPv6 address must be in brackets (otherwise its last group would read as a port). Pure; the
// parse answers with a value or a reason, and each layer reports the reason in its own error
// style (InputError naming the field, a config error at file:line, an RTSP client error).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace camleak {

struct HostPort {
  std::string host;  // without brackets; "" when the text was ":port"
  uint16_t port = 0;
  bool operator==(const HostPort&) const = default;
};

// An authority whose port may be absent ("example.com", "[::1]").
struct Authority {
  std::string host;
  std::optional<uint16_t> port;
};
struct AuthorityParse {
  std::optional<Authority> authority;
  std::string error;  // why not, when authority is empty: "IPv6 addresses need brackets"
};
AuthorityParse parse_authority(std::string_view text);

// An absolute URL split where a client needs it: "rtsps://[::1]:8322/live/c?t=1" ->
// {rtsps, ::1, 8322, /live/c?t=1}. The port defaults by scheme (http 80, https 443, rtsp 554,
// rtsps 322); the target is "/" when the URL has none. Credentials before '@' are refused
// (camleak sends credentials in headers it chooses).
struct UrlParts {
  std::string scheme;  // lower case
  std::string host;    // without brackets
  uint16_t port = 0;
  std::string target;  // path and query
};
struct UrlParse {
  std::optional<UrlParts> url;
  std::string error;
};
UrlParse split_url(std::string_view text);
// The scheme's default port, 0 for schemes camleak does not speak.
uint16_t default_port(std::string_view scheme);

// "127.0.0.1:80" or "[::1]:80".
std::string format_host_port(std::string_view host, uint16_t port);
inline std::string format_host_port(const HostPort& address) {
  return format_host_port(address.host, address.port);
}

}  // namespace camleak
