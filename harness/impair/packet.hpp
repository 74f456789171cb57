#pragma once
// What flows through a stage chain: a piece of a TCP byte stream, or one UDP datagram, or a
// connection signal (close, reset) that travels in order behind the data before it.
#include <cstdint>
#include <string_view>
#include <vector>

#include "harness/core/clock.hpp"

namespace camleak::impair {

enum class Direction { upstream, downstream };  // upstream: client -> server
enum class Transport { stream, datagram };      // tcp, udp

struct Packet {
  enum class Kind : uint8_t { data, close, reset };
  Kind kind = Kind::data;
  std::vector<uint8_t> bytes;
  Micros entered_at{};  // when it entered the chain; the proxy measures added delay from it
};

inline std::string_view to_string(Direction direction) {
  return direction == Direction::upstream ? "upstream" : "downstream";
}
inline std::string_view to_string(Transport transport) {
  return transport == Transport::stream ? "stream" : "datagram";
}

}  // namespace camleak::impair
