#pragma once
// One impairment: a small queue (mahimahi's model). The owner pushes packets in, asks when the
// stage next needs attention (next_wakeup), and pops what is ready. Pure: time comes in as
// `now`, randomness from the Rng in the context, no sockets.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/core/rng.hpp"
#include "harness/impair/attributes.hpp"
#include "harness/impair/packet.hpp"
#include "harness/impair/stage_action.hpp"

namespace camleak {
class EventLog;
}

namespace camleak::impair {

// A stage type's settings: parsed and validated once, when the stage is configured on a link,
// from completed attributes (Toxiproxy's model: a toxic is unmarshalled into its struct once and
// every connection's instance reads that struct). Each stage class derives its own `Settings`;
// instances of the stage on every connection share one immutable copy.
struct StageSettings {
  virtual ~StageSettings() = default;
};
using SharedSettings = std::shared_ptr<const StageSettings>;

// The settings a stage was built for, as its own type. The registry pairs each stage class with
// its settings, so a mismatch is a programming error (std::bad_cast).
template <class Settings>
const Settings& settings_as(const StageSettings& settings) {
  return dynamic_cast<const Settings&>(settings);
}

// Where a stage instance lives; handed to it at construction.
struct StageContext {
  std::string name;         // the stage's (toxic's) name, e.g. "latency_downstream"
  std::string link;         // link name
  uint64_t connection = 0;  // connection or UDP flow index within the link
  Direction direction = Direction::downstream;
  Rng rng{0};                  // seeded from (run seed, link, connection, direction, name)
  EventLog* events = nullptr;  // may be null (unit tests)
  Micros created_at{};         // time the stage instance was created
};

class Stage {
 public:
  virtual ~Stage() = default;

  // Accepts one packet at `now`.
  virtual void push(Packet packet, Micros now) = 0;
  // The next packet that is ready at `now`, in the order it must leave; nullopt when none is.
  virtual std::optional<Packet> pop(Micros now) = 0;
  // The earliest time at which pop() may return something; nullopt when the stage will
  // produce nothing on its own (it holds nothing, or holds it until removed, as a blackhole).
  virtual std::optional<Micros> next_wakeup(Micros now) const = 0;
  // Replaces the settings (of this stage's own Settings type); data already held stays held and
  // leaves in order.
  virtual void reconfigure(const StageSettings& settings) = 0;
  // Everything held, in order, handed over when the stage is removed (never dropped).
  virtual std::vector<Packet> drain() = 0;
  // Bytes of data the stage holds now (the proxy stops reading a socket while a chain holds too
  // much, so memory stays bounded).
  virtual size_t held_bytes() const { return 0; }
  // Packets (data and signals) the stage holds now. A stage may hold packets without a wakeup
  // (a blackhole holds everything until it is removed), so Chain::empty() asks this too.
  virtual size_t held_packets() const { return 0; }

  const ActionCounts& counters() const { return counters_; }
  const StageContext& context() const { return context_; }

 protected:
  explicit Stage(StageContext context) : context_(std::move(context)) {}
  // Counts an action (and the bytes it affected) and records it in the event log (if any).
  void note(StageAction action, Micros now, uint64_t bytes = 0);
  // Counts an action without recording an event: for routine per-chunk shaping (a chunk delayed,
  // a chunk throttled) that would flood the event log with one entry per chunk of video. Fault
  // decisions about individual packets (drop, duplicate, corrupt, reorder, close, reset) use
  // note().
  void count(StageAction action, uint64_t bytes = 0) { counters_.add(action, 1, bytes); }

  StageContext context_;
  ActionCounts counters_;
};

}  // namespace camleak::impair
