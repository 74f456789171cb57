#pragma once
// One direction of a proxied session (a TCP connection or a UDP flow): its stage chain, how many
// stages it has besides the pass-through one, and the one wake-up it has asked of the proxy's
// Wakeups. TcpConnection and UdpFlow each extend it with their sockets and buffers.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "harness/core/clock.hpp"
#include "harness/impair/chain.hpp"
#include "harness/proxy/link_stats.hpp"

namespace camleak::proxy {

struct ChainPipe {
  ChainPipe(impair::Direction d, impair::Chain c, size_t stages)
      : direction(d), chain(std::move(c)), active_stages(stages) {}

  // The chain's own operations; true when this direction took part (it then needs a pump).
  bool add(const impair::StageSpec& spec, Micros now);
  bool remove(std::string_view name, Micros now);
  bool reconfigure(const impair::StageSpec& spec) { return chain.reconfigure(spec); }
  // Adds the chain's per-stage counters to `into`, keyed "name/direction".
  void collect(std::map<std::string, StageStats>& into) const;

  // The wake-up to ask for after a pump at `now`, with its ticket: the chain's next wake-up,
  // no sooner than a timer step; nullopt when the chain needs none or an earlier one is asked.
  struct Wakeup {
    Micros at;
    uint64_t ticket;
  };
  std::optional<Wakeup> next_wakeup(Micros now);
  // Whether `ticket` is the wake-up this direction waits for.
  bool awaits(uint64_t ticket) const { return ticket == timer_ticket; }
  // Takes the wake-up `ticket`: false when a later request superseded it.
  bool take(uint64_t ticket);

  impair::Direction direction;
  impair::Chain chain;
  size_t active_stages;  // stages besides the pass-through one

 private:
  std::optional<Micros> timer_at;
  uint64_t timer_ticket = 0;
};

}  // namespace camleak::proxy
