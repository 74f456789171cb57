#include "harness/core/host_port.hpp"

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

}  // namespace camleak
