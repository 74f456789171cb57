#pragma once
// A snapshot of one link's counters: connections, bytes per direction, what every stage did,
// and the measured added delay per direction.
#include <cstdint>
#include <string>
#include <vector>

#include "harness/impair/packet.hpp"
#include "harness/impair/stage.hpp"
#include "harness/proxy/delay_histogram.hpp"

namespace camleak::proxy {

struct DirectionStats {
  uint64_t bytes_in = 0;        // read from the sending side
  uint64_t bytes_out = 0;       // written to the receiving side
  uint64_t packets_out = 0;     // writes (TCP) or datagrams (UDP)
  uint64_t overflow_drops = 0;  // UDP datagrams dropped because the direction's buffer was full
  DelayHistogram delay;         // Packet::entered_at -> write
};

struct StageStats {
  std::string name;
  std::string type;
  impair::Direction direction = impair::Direction::downstream;
  impair::Counters counters;  // summed over every connection, current and past
};

struct LinkStats {
  std::string name;
  uint64_t connections_total = 0;  // accepted (TCP) or flows seen (UDP)
  uint64_t connections_active = 0;
  uint64_t upstream_failures = 0;  // upstream refused, unreachable or reset while connecting
  uint64_t resets = 0;             // connections ended with RST (stage, API, peer)
  uint64_t closed_by_disable = 0;  // connections closed because the link was disabled
  DirectionStats upstream;         // client -> upstream
  DirectionStats downstream;       // upstream -> client
  std::vector<StageStats> stages;
};

}  // namespace camleak::proxy
