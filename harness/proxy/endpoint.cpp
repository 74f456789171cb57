#include "harness/proxy/endpoint.hpp"

#include <charconv>

#include "harness/core/errors.hpp"

namespace camleak::proxy {

HostPort parse_host_port(std::string_view text, std::string_view field) {
  const auto fail = [&](const std::string& why) -> HostPort {
    throw InputError(
        Diagnostic{.field = std::string(field),
                   .message = why + " (expected host:port, got \"" + std::string(text) + "\")"});
  };
  HostPort out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return fail("bad IPv6 address");
    }
    out.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return fail("missing port");
    out.host = std::string(text.substr(0, colon));
    if (out.host.find(':') != std::string::npos) return fail("IPv6 addresses need brackets");
    port_text = text.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [ptr, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() ||
      value > 65535) {
    return fail("bad port");
  }
  out.port = static_cast<uint16_t>(value);
  return out;
}

std::string format_host_port(const boost::asio::ip::address& address, uint16_t port) {
  if (address.is_v6()) return "[" + address.to_string() + "]:" + std::to_string(port);
  return address.to_string() + ":" + std::to_string(port);
}

}  // namespace camleak::proxy
