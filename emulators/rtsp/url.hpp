#pragma once
// rtsp:// and rtsps:// URLs: rtsp[s]://[user[:password]@]host[:port][/path]; host may be [IPv6].
// The default ports are RFC 7826's: 554 for rtsp, 322 for rtsps (RTSP over TLS).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace camleak::rtsp {

struct RtspUrl {
  std::string user;        // percent-decoded
  std::string password;    // percent-decoded
  std::string host;        // without brackets for IPv6
  uint16_t port = 554;     // 322 for rtsps
  bool secure = false;     // rtsps://: the connection is TLS
  std::string path = "/";  // starts with '/', may carry a query

  // rtsp[s]://host:port/path without credentials: what goes on the request line.
  std::string without_credentials() const;
};

std::optional<RtspUrl> parse_rtsp_url(std::string_view url, std::string* error = nullptr);

// True for "rtsp://..." and "rtsps://..." (any case).
bool is_absolute_rtsp_url(std::string_view url);

// Resolves an SDP a=control value against a base URL (RFC 2326 C.1.1): absolute URLs stay,
// "*" means the base itself, anything else is appended as a relative path segment.
std::string resolve_control_url(std::string_view base, std::string_view control);

}  // namespace camleak::rtsp
