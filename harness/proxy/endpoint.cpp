#include "harness/proxy/endpoint.hpp"

#include "harness/core/errors.hpp"

namespace camleak::proxy {

HostPort parse_host_port(std::string_view text, std::string_view field) {
  const auto fail = [&](const std::string& why) {
    return InputError(
        Diagnostic{.field = std::string(field),
                   .message = why + " (expected host:port, got \"" + std::string(text) + "\")"});
  };
  const AuthorityParse parsed = parse_authority(text);
  if (!parsed.authority) throw fail(parsed.error);
  if (!parsed.authority->port) throw fail("missing port");
  return HostPort{parsed.authority->host, *parsed.authority->port};
}

std::string format_host_port(const boost::asio::ip::address& address, uint16_t port) {
  return camleak::format_host_port(address.to_string(), port);
}

}  // namespace camleak::proxy
