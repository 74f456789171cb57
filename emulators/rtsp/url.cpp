#include "emulators/rtsp/url.hpp"

#include "emulators/rtsp/message.hpp"
#include "harness/core/host_port.hpp"

namespace camleak::rtsp {
namespace {

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int a = hex(s[i + 1]), b = hex(s[i + 2]);
    if (a < 0 || b < 0) return std::nullopt;
    out.push_back(static_cast<char>(a * 16 + b));
    i += 2;
  }
  return out;
}

}  // namespace

std::string RtspUrl::without_credentials() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return (secure ? "rtsps://" : "rtsp://") + h + ":" + std::to_string(port) + path;
}

std::optional<RtspUrl> parse_rtsp_url(std::string_view url, std::string* error) {
  auto fail = [&](std::string m) -> std::optional<RtspUrl> {
    if (error) *error = "url \"" + std::string(url) + "\": " + m;
    return std::nullopt;
  };
  std::string_view rest = url;
  RtspUrl out;
  if (rest.size() >= 8 && iequals(rest.substr(0, 8), "rtsps://")) {
    out.secure = true;
    out.port = 322;
    rest.remove_prefix(8);
  } else if (rest.size() >= 7 && iequals(rest.substr(0, 7), "rtsp://")) {
    rest.remove_prefix(7);
  } else {
    return fail("scheme must be rtsp:// or rtsps://");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    size_t colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon));
    auto pass = colon == std::string_view::npos ? std::optional<std::string>("")
                                                : percent_decode(userinfo.substr(colon + 1));
    if (!user || !pass) return fail("bad percent-encoding in credentials");
    out.user = *user;
    out.password = *pass;
  }
  const AuthorityParse parsed = parse_authority(authority);
  if (!parsed.authority) return fail(parsed.error);
  out.host = parsed.authority->host;
  if (out.host.empty()) return fail("missing host");
  if (parsed.authority->port) {
    if (*parsed.authority->port == 0) return fail("port 0 cannot be dialled");
    out.port = *parsed.authority->port;
  }
  return out;
}

bool is_absolute_rtsp_url(std::string_view url) {
  return (url.size() >= 7 && iequals(url.substr(0, 7), "rtsp://")) ||
         (url.size() >= 8 && iequals(url.substr(0, 8), "rtsps://"));
}

std::string resolve_control_url(std::string_view base, std::string_view control) {
  if (control.empty() || control == "*") return std::string(base);
  if (is_absolute_rtsp_url(control)) return std::string(control);
  // A query on the base (a token some servers take there) stays at the end: the control goes
  // into the path, not after "?token=...".
  const size_t q = base.find('?');
  std::string out(base.substr(0, q));
  if (!out.empty() && out.back() != '/') out.push_back('/');
  out.append(control.front() == '/' ? control.substr(1) : control);
  if (q != std::string_view::npos) out.append(base.substr(q));
  return out;
}

}  // namespace camleak::rtsp
