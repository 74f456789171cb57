#pragma once
// What flows through a stage chain: a piece of a TCP byte stream, or one UDP datagram, or a
// connection signal (close, reset) that travels in order behind the data before it.
#include <cstdint>
#include <string_view>
#include <utility>
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

// Moves the packet out of every entry of a stage's queue (entries hold theirs in `packet`), in
// the container's order, and empties it: how each queue hands over what it holds.
template <class Entries>
std::vector<Packet> take_packets(Entries& entries) {
  std::vector<Packet> out;
  out.reserve(entries.size());
  for (auto& entry : entries) out.push_back(std::move(entry.packet));
  entries.clear();
  return out;
}

inline std::string_view to_string(Direction direction) {
  return direction == Direction::upstream ? "upstream" : "downstream";
}
inline std::string_view to_string(Transport transport) {
  return transport == Transport::stream ? "stream" : "datagram";
}

}  // namespace camleak::impair
