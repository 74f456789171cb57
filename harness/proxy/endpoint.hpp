#pragma once
// "host:port" text as Toxiproxy and people write it (camleak::parse_authority's grammar, a port
// required), to and from Asio endpoints.
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/core/host_port.hpp"

namespace camleak::proxy {

// Accepts "127.0.0.1:80", "localhost:80", "[::1]:80", ":80". Throws InputError naming `field`.
HostPort parse_host_port(std::string_view text, std::string_view field);

// "127.0.0.1:80" or "[::1]:80".
std::string format_host_port(const boost::asio::ip::address& address, uint16_t port);

}  // namespace camleak::proxy
