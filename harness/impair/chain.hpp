#pragma once
// The stages of one direction of one connection (or UDP flow), in order, with a pass-through
// stage first (Toxiproxy's model). The framework, not the stages, applies:
//  - toxicity: each stage applies to a connection with this probability, rolled once per
//    connection from the seeded Rng (as Toxiproxy rolls it per link pipe);
//  - targeting: which connections of the link a stage applies to;
//  - the time window: a stage acts only inside [start, stop) of the link's timeline and passes
//    traffic through outside it, still releasing what it holds, in order.
// Adding, reconfiguring or removing stages never drops data a stage holds.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/impair/attributes.hpp"
#include "harness/impair/packet.hpp"
#include "harness/impair/registry.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

// Which connections of a link a stage applies to. Connection indices count from 0 in accept
// order (UDP: in order of first datagram from a new source).
struct Targeting {
  enum class Mode { all, indices, fraction, first_n, nth };
  Mode mode = Mode::all;
  std::vector<uint64_t> indices;  // Mode::indices
  double fraction = 1.0;          // Mode::fraction: chosen per connection with the seed
  uint64_t n = 0;                 // Mode::first_n (connections 0..n-1), Mode::nth (connection n)

  // `seed` is the chain's seed for this stage, so a fraction choice is reproducible. The chain
  // passes Rng::derive(run seed, "<link>/<direction>/<name>/targeting"): the same for every
  // connection of the link, so each connection is chosen independently with probability
  // `fraction`, reproducibly.
  bool matches(uint64_t connection, uint64_t seed) const;
};

// Relative to the link's timeline origin (ChainContext::link_epoch).
struct Window {
  std::optional<Micros> start;
  std::optional<Micros> stop;
  bool contains(Micros since_epoch) const {
    return (!start || since_epoch >= *start) && (!stop || since_epoch < *stop);
  }
};

// A stage as configured on a link (a Toxiproxy "toxic" plus our extensions).
struct StageSpec {
  std::string name;  // unique within the link, e.g. "latency_downstream"
  std::string type;  // registry name
  Direction direction = Direction::downstream;
  double toxicity = 1.0;
  Attributes attributes;  // completed by Registry::complete
  // The attributes parsed into the type's settings, once, by validated(); every connection's
  // instance is built from this one copy. Null in a spec not yet validated (the chain then
  // completes and parses the attributes itself).
  SharedSettings settings;
  Targeting targeting;
  Window window;
};

// The name a stage gets when it is given none: "latency_downstream" (Toxiproxy's rule).
std::string default_stage_name(std::string_view type, Direction direction);

struct ChainContext {
  std::string link;
  uint64_t connection = 0;
  Direction direction = Direction::downstream;
  Transport transport = Transport::stream;
  uint64_t seed = 0;  // run seed; per-stage seeds are derived from it
  EventLog* events = nullptr;
  Micros link_epoch{};  // origin of Window times
};

class Chain {
 public:
  Chain(ChainContext context, const Registry& registry);
  ~Chain();
  Chain(Chain&&) noexcept;
  Chain& operator=(Chain&&) noexcept;

  // Instantiates `spec` at the end of the chain if it targets this direction and connection
  // and wins its toxicity roll. Returns whether it was instantiated.
  bool add(const StageSpec& spec, Micros now);
  // Removes the named stage; what it held moves on to the next stage, in order.
  bool remove(std::string_view name, Micros now);
  // Updates the named stage's attributes (merged over the current ones, like Toxiproxy's
  // update, then completed and validated: throws InputError). What it holds stays held.
  bool reconfigure(std::string_view name, const Attributes& attributes);
  // Gives the stage named `spec.name` the settings of `spec`, a spec made by validated() (whole
  // attributes, already parsed), as the proxy does for every connection of a link.
  bool reconfigure(const StageSpec& spec);

  void push(Packet packet, Micros now);
  // Moves packets through the stages and returns the next one that leaves the chain.
  std::optional<Packet> pop(Micros now);
  std::optional<Micros> next_wakeup(Micros now) const;
  // True when no stage holds anything.
  bool empty() const;
  // Bytes of data held by all stages plus what is ready to leave (for backpressure).
  size_t held_bytes() const;

  struct StageCounters {
    std::string name;
    std::string type;
    Counters counters;
  };
  std::vector<StageCounters> counters() const;
  std::vector<std::string> stage_names() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Validates a stage as configured at an API or scenario edge: its type exists and applies to
// `transport`, toxicity is in [0, 1], targeting is sane, the window is ordered, and the
// attributes are valid; returns the spec with attributes completed and parsed into settings. Throws
// InputError listing every problem (field = "type", "toxicity", "targeting", "window" or the
// attribute name).
StageSpec validated(const StageSpec& spec, Transport transport, const Registry& registry);

}  // namespace camleak::impair
