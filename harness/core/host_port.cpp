#include "harness/core/host_port.hpp"

#include <cctype>
#include <charconv>

namespace camleak {

AuthorityParse parse_authority(std::string_view text) {
  const auto fail = [](std::string why) { return AuthorityParse{std::nullopt, std::move(why)}; };
  Authority out;
  std::string_view port_text;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return fail("unterminated [IPv6] address");
    out.host = std::string(text.substr(1, close - 1));
    const std::string_view after = text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("junk after the [IPv6] address");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const auto colon = text.rfind(':');
    out.host = std::string(text.substr(0, colon));
    if (out.host.find(':') != std::string::npos) return fail("IPv6 addresses need brackets");
    if (colon != std::string_view::npos) {
      port_text = text.substr(colon + 1);
      has_port = true;
    }
  }
  if (has_port) {
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() ||
        value > 65535) {
      return fail("port \"" + std::string(port_text) + "\" is not a number 0..65535");
    }
    out.port = static_cast<uint16_t>(value);
  }
  return AuthorityParse{std::move(out), ""};
}

std::string format_host_port(std::string_view host, uint16_t port) {
  const std::string h(host);
  if (h.find(':') != std::string::npos) return "[" + h + "]:" + std::to_string(port);
  return h + ":" + std::to_string(port);
}

uint16_t default_port(std::string_view scheme) {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  if (scheme == "rtsp") return 554;
  if (scheme == "rtsps") return 322;
  return 0;
}

UrlParse split_url(std::string_view text) {
  const size_t colon = text.find("://");
  if (colon == std::string_view::npos || colon == 0) return {std::nullopt, "no scheme://"};
  std::string scheme(text.substr(0, colon));
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const uint16_t fallback = default_port(scheme);
  if (fallback == 0) return {std::nullopt, "unsupported scheme " + scheme + "://"};
  std::string_view rest = text.substr(colon + 3);
  const size_t end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos)
    return {std::nullopt, "credentials in the URL are not accepted"};
  const AuthorityParse parsed = parse_authority(authority);
  if (!parsed.authority) return {std::nullopt, parsed.error};
  if (parsed.authority->host.empty()) return {std::nullopt, "no host"};
  UrlParts out{.scheme = std::move(scheme),
               .host = parsed.authority->host,
               .port = parsed.authority->port.value_or(fallback),
               .target = end == std::string_view::npos ? "/" : std::string(rest.substr(end))};
  if (out.port == 0) return {std::nullopt, "port 0 cannot be dialled"};
  if (out.target[0] == '?') out.target.insert(0, "/");
  return {std::move(out), ""};
}

}  // namespace camleak
