#include "harness/proxy/frame_synth.hpp"

#include <algorithm>

namespace camleak::proxy {
namespace {

using boost::asio::ip::address;
using boost::asio::ip::address_v6;

constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;

void put16(std::vector<uint8_t>& out, size_t at, uint16_t v) {
  out[at] = static_cast<uint8_t>(v >> 8);
  out[at + 1] = static_cast<uint8_t>(v);
}
void put32(std::vector<uint8_t>& out, size_t at, uint32_t v) {
  put16(out, at, static_cast<uint16_t>(v >> 16));
  put16(out, at + 2, static_cast<uint16_t>(v));
}

// One's-complement sum for the Internet checksum, over whole bytes.
uint32_t sum_bytes(uint32_t sum, std::span<const uint8_t> bytes) {
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += (uint32_t{bytes[i]} << 8) | bytes[i + 1];
  if (i < bytes.size()) sum += uint32_t{bytes[i]} << 8;
  return sum;
}
uint16_t fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

struct Ends {
  address src, dst;
  uint16_t src_port, dst_port;
};

Ends ends_of(const FlowAddresses& flow, bool from_client) {
  address client = flow.client, server = flow.server;
  if (client.is_v4() != server.is_v4()) {  // one family per packet: map the IPv4 side
    if (client.is_v4())
      client = boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, client.to_v4());
    if (server.is_v4())
      server = boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, server.to_v4());
  }
  if (from_client) return {client, server, flow.client_port, flow.server_port};
  return {server, client, flow.server_port, flow.client_port};
}

// Ethernet + IP header for a transport segment of `transport_len` bytes; returns the offset of
// the transport header. Locally administered MACs: 02:..:01 is the client, 02:..:02 the server.
size_t put_headers(std::vector<uint8_t>& out, const Ends& ends, bool from_client, uint8_t proto,
                   size_t transport_len) {
  const bool v4 = ends.src.is_v4();
  const size_t ip_len = v4 ? 20 : 40;
  out.assign(14 + ip_len + transport_len, 0);
  const uint8_t client_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
  const uint8_t server_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
  std::copy_n(from_client ? server_mac : client_mac, 6, out.begin());
  std::copy_n(from_client ? client_mac : server_mac, 6, out.begin() + 6);
  put16(out, 12, v4 ? 0x0800 : 0x86dd);
  if (v4) {
    out[14] = 0x45;
    put16(out, 16, static_cast<uint16_t>(20 + transport_len));
    put16(out, 20, 0x4000);  // don't fragment
    out[22] = 64;
    out[23] = proto;
    const auto s = ends.src.to_v4().to_bytes();
    const auto d = ends.dst.to_v4().to_bytes();
    std::copy(s.begin(), s.end(), out.begin() + 26);
    std::copy(d.begin(), d.end(), out.begin() + 30);
    put16(out, 24, fold(sum_bytes(0, std::span(out).subspan(14, 20))));
  } else {
    out[14] = 0x60;
    put16(out, 18, static_cast<uint16_t>(transport_len));
    out[20] = proto;
    out[21] = 64;
    const auto s = ends.src.to_v6().to_bytes();
    const auto d = ends.dst.to_v6().to_bytes();
    std::copy(s.begin(), s.end(), out.begin() + 22);
    std::copy(d.begin(), d.end(), out.begin() + 38);
  }
  return 14 + ip_len;
}

// Transport checksum over the pseudo-header and the segment at `at`.
uint16_t transport_checksum(const std::vector<uint8_t>& frame, size_t at, uint8_t proto) {
  const bool v4 = frame[12] == 0x08;
  const size_t len = frame.size() - at;
  uint32_t sum = 0;
  if (v4) {
    sum = sum_bytes(sum, std::span(frame).subspan(26, 8));
  } else {
    sum = sum_bytes(sum, std::span(frame).subspan(22, 32));
  }
  sum += proto;
  sum += static_cast<uint32_t>(len & 0xffff) + static_cast<uint32_t>(len >> 16);
  return fold(sum_bytes(sum, std::span(frame).subspan(at)));
}

}  // namespace

std::vector<uint8_t> synth_tcp_frame(const FlowAddresses& flow, bool from_client, uint32_t seq,
                                     uint32_t ack, uint8_t flags,
                                     std::span<const uint8_t> payload) {
  const Ends ends = ends_of(flow, from_client);
  std::vector<uint8_t> out;
  const size_t at = put_headers(out, ends, from_client, kProtoTcp, 20 + payload.size());
  put16(out, at, ends.src_port);
  put16(out, at + 2, ends.dst_port);
  put32(out, at + 4, seq);
  put32(out, at + 8, ack);
  out[at + 12] = 5 << 4;  // data offset: 5 words, no options
  out[at + 13] = flags;
  put16(out, at + 14, 65535);  // window
  std::copy(payload.begin(), payload.end(), out.begin() + static_cast<ptrdiff_t>(at + 20));
  put16(out, at + 16, transport_checksum(out, at, kProtoTcp));
  return out;
}

std::vector<uint8_t> synth_udp_frame(const FlowAddresses& flow, bool from_client,
                                     std::span<const uint8_t> payload) {
  const Ends ends = ends_of(flow, from_client);
  std::vector<uint8_t> out;
  const size_t len = 8 + std::min(payload.size(), size_t{65507});
  const size_t at = put_headers(out, ends, from_client, kProtoUdp, len);
  put16(out, at, ends.src_port);
  put16(out, at + 2, ends.dst_port);
  put16(out, at + 4, static_cast<uint16_t>(len));
  std::copy_n(payload.begin(), len - 8, out.begin() + static_cast<ptrdiff_t>(at + 8));
  uint16_t sum = transport_checksum(out, at, kProtoUdp);
  put16(out, at + 6, sum == 0 ? 0xffff : sum);
  return out;
}

}  // namespace camleak::proxy
