#pragma once
// What a link is: a named listening address forwarding to an upstream, TCP or UDP, with its
// impairment stages per direction (StageSpec, Toxiproxy's "toxics").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/impair/chain.hpp"

namespace camleak::proxy {

enum class Protocol { tcp, udp };

std::string_view to_string(Protocol protocol);
// Throws InputError naming `field` for anything but "tcp" / "udp".
Protocol parse_protocol(std::string_view text, std::string_view field = "protocol");

// What the link records of the traffic it forwards. Both are off by default: tapping copies
// every forwarded chunk.
struct TapConfig {
  std::string pcap_file;  // written as the traffic flows; empty = none
  bool ring = false;      // keep recent packets in memory for Proxy::write_window
};

struct LinkConfig {
  std::string name;
  std::string listen = "127.0.0.1:0";  // "host:port", "[::1]:port"; port 0 = any free port
  std::string upstream;                // "host:port"
  Protocol protocol = Protocol::tcp;
  bool enabled = true;
  TapConfig tap;
  // Origin of the stages' time windows (StageSpec::window), on the proxy's clock. Default: the
  // moment the link is created.
  std::optional<Micros> epoch;
};

// A link as it currently is (the bound address replaces a port 0 of the configuration).
struct LinkInfo {
  std::string name;
  std::string listen;  // bound address while enabled, configured address otherwise
  uint16_t port = 0;   // bound port, 0 while disabled
  std::string upstream;
  Protocol protocol = Protocol::tcp;
  bool enabled = true;
  std::vector<impair::StageSpec> stages;
};

}  // namespace camleak::proxy
