#include "harness/proxy/link_config.hpp"

#include "harness/core/errors.hpp"

namespace camleak::proxy {

std::string_view to_string(Protocol protocol) {
  return protocol == Protocol::udp ? "udp" : "tcp";
}

Protocol parse_protocol(std::string_view text, std::string_view field) {
  if (text == "tcp") return Protocol::tcp;
  if (text == "udp") return Protocol::udp;
  throw InputError(
      Diagnostic{.field = std::string(field),
                 .message = "expected \"tcp\" or \"udp\", got \"" + std::string(text) + "\""});
}

}  // namespace camleak::proxy
