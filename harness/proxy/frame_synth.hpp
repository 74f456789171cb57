#pragma once
// Builds Ethernet + IPv4/IPv6 + TCP/UDP frames around forwarded payloads, so a tap's pcap file
// decodes in Wireshark as the conversation between the client and the upstream (RTSP, RTP...).
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <span>
#include <vector>

namespace camleak::proxy {

struct FlowAddresses {
  boost::asio::ip::address client;
  uint16_t client_port = 0;
  boost::asio::ip::address server;
  uint16_t server_port = 0;
};

namespace tcp_flags {
constexpr uint8_t fin = 0x01, syn = 0x02, rst = 0x04, psh = 0x08, ack = 0x10;
}

// The largest payload one synthesized segment carries (IP length fields are 16 bits).
constexpr size_t kMaxSegmentPayload = 65000;

// `from_client` selects the direction. Mixed address families are written as IPv6 with the
// IPv4 address mapped (::ffff:a.b.c.d).
std::vector<uint8_t> synth_tcp_frame(const FlowAddresses& flow, bool from_client, uint32_t seq,
                                     uint32_t ack, uint8_t flags, std::span<const uint8_t> payload);
std::vector<uint8_t> synth_udp_frame(const FlowAddresses& flow, bool from_client,
                                     std::span<const uint8_t> payload);

}  // namespace camleak::proxy
