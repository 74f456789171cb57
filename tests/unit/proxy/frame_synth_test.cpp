#include "harness/proxy/frame_synth.hpp"

#include <gtest/gtest.h>

namespace camleak::proxy {
namespace {

using boost::asio::ip::make_address;

// The Internet checksum over a region that includes its checksum field sums to 0xffff.
uint16_t ones_sum(const std::vector<uint8_t>& b, size_t from, size_t to, uint32_t sum = 0) {
  for (size_t i = from; i < to; i += 2) {
    sum += (uint32_t{b[i]} << 8) | (i + 1 < to ? b[i + 1] : 0);
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

const FlowAddresses kV4{make_address("10.0.0.1"), 40000, make_address("10.0.0.2"), 554};

TEST(FrameSynth, TcpOverIpv4HasValidChecksumsAndFields) {
  const std::vector<uint8_t> payload = {'O', 'P', 'T', 'I', 'O', 'N', 'S'};
  const auto f = synth_tcp_frame(kV4, true, 1000, 2000, tcp_flags::psh | tcp_flags::ack, payload);
  ASSERT_EQ(f.size(), 14u + 20 + 20 + payload.size());
  EXPECT_EQ(f[12], 0x08);
  EXPECT_EQ(f[13], 0x00);
  EXPECT_EQ(ones_sum(f, 14, 34), 0xffff);  // IPv4 header checksum
  // TCP checksum with the pseudo-header (addresses, protocol, length).
  uint32_t pseudo = 0;
  pseudo += ones_sum(f, 26, 34);
  pseudo += 6 + static_cast<uint32_t>(f.size() - 34);
  EXPECT_EQ(ones_sum(f, 34, f.size(), pseudo), 0xffff);
  EXPECT_EQ((f[34] << 8) | f[35], 40000);  // from the client
  EXPECT_EQ((f[36] << 8) | f[37], 554);
  EXPECT_EQ(f[34 + 13], tcp_flags::psh | tcp_flags::ack);
}

TEST(FrameSynth, ServerToClientSwapsEnds) {
  const auto f = synth_tcp_frame(kV4, false, 1, 2, tcp_flags::ack, {});
  EXPECT_EQ((f[34] << 8) | f[35], 554);
  EXPECT_EQ(f[26], 10);
  EXPECT_EQ(f[29], 2);  // source is the server
}

TEST(FrameSynth, UdpOverIpv6) {
  const FlowAddresses v6{make_address("::1"), 5000, make_address("::1"), 6000};
  const std::vector<uint8_t> payload(100, 0x80);
  const auto f = synth_udp_frame(v6, true, payload);
  ASSERT_EQ(f.size(), 14u + 40 + 8 + 100);
  EXPECT_EQ(f[12], 0x86);
  EXPECT_EQ(f[13], 0xdd);
  EXPECT_EQ(f[14 + 6], 17);
  EXPECT_EQ((f[54 + 4] << 8) | f[54 + 5], 108);  // UDP length
  uint32_t pseudo = ones_sum(f, 22, 54);
  pseudo += 17 + 108;
  EXPECT_EQ(ones_sum(f, 54, f.size(), pseudo), 0xffff);
}

TEST(FrameSynth, MixedFamiliesAreMappedToIpv6) {
  const FlowAddresses mixed{make_address("127.0.0.1"), 1, make_address("::1"), 2};
  const auto f = synth_udp_frame(mixed, true, {});
  EXPECT_EQ(f[12], 0x86);
}

}  // namespace
}  // namespace camleak::proxy
