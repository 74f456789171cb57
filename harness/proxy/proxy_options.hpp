#pragma once
#include <cstddef>
#include <cstdint>

#include "harness/core/clock.hpp"

namespace camleak::proxy {

struct ProxyOptions {
  uint64_t seed = 0;  // run seed: every connection's chains derive their randomness from it
  // Per direction of a connection: stop reading from the sender while the chain and the
  // pending writes hold more than this (a receiver that never reads cannot grow memory).
  // UDP drops datagrams past it instead.
  size_t direction_buffer_limit = size_t{1} << 20;
  size_t read_chunk = 256 * 1024;           // the one shared read buffer
  size_t tap_ring_bytes = size_t{4} << 20;  // per link with a tap ring
  Micros tap_ring_age = std::chrono::seconds(30);
  // The rings of removed links stay readable by write_window for tap_ring_age, within this
  // many bytes in all (oldest dropped first): a session's RTP route is removed when the session
  // ends, often before the evidence around a finding is written.
  size_t retired_tap_bytes = size_t{64} << 20;
  Micros udp_flow_idle = std::chrono::seconds(60);  // a UDP flow with no traffic is forgotten
  size_t udp_max_flows = 4096;  // per link; the least recently active flow is evicted past it
};

}  // namespace camleak::proxy
