#pragma once
// The resolved, seeded fault schedule: every action of a scenario with its exact time and its
// exact targets. Pure: no I/O, no clock. The same Scenario and seed give the same Timeline (and
// a byte-identical to_text()) on every platform, because every random choice comes from
// camleak::Rng streams derived per purpose from the seed and the timeline entry's id:
//   Rng::derive(seed, "<id>/select")         which devices a fraction selects
//   Rng::derive(seed, "<id>/member/<device>") a storm member's drop time and backoff draws
//   Rng::derive(seed, "<id>/backoff/<device>") handed to the device for its own later retries
// so adding or removing one timeline entry never changes the choices of another.
//
// The run loop plays `actions` in order at `time` (relative to the run's start):
//   set_stages      add each spec of `stages` to every link in `links`, replacing a stage of
//                   the same name (Chain::add / reconfigure)
//   clear_stages    remove the stages named in `stage_names` (a name, or a stage type meaning
//                   every stage of that type) from every link; empty = remove every stage. Links
//                   without such a stage are left alone.
//   partition_start cut `links` completely (no byte passes either way) ...
//   partition_end   ... and heal them
//   drop            the devices in `devices` close every connection on their links (`links`)
//   redial          the devices reconnect (attempt number in `attempts`, later retries seeded by
//                   `seed`)
//   sut_restart     restart the SUT
//   share / revoke  PUT / DELETE the share of `camera` with `account` on the SUT admin API
//   phase           phase `phase` starts (for checks and reports)
// Actions at or after the scenario's duration are listed (explain shows them) but never played.
#include <cstdint>
#include <string>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/impair/chain.hpp"
#include "harness/scenario/scenario.hpp"

namespace camleak::schedule {

struct TimedAction {
  enum class Kind {
    set_stages,
    clear_stages,
    partition_start,
    partition_end,
    drop,
    redial,
    sut_restart,
    share,
    revoke,
    phase,
  };
  Micros time{};
  Kind kind = Kind::set_stages;
  std::string source;                     // timeline entry id, or "shares[i]"
  std::vector<std::string> links;         // link names ("live:hub-2"), in fleet order
  std::vector<std::string> devices;       // device names, in fleet order
  std::vector<impair::StageSpec> stages;  // set_stages
  std::vector<std::string> stage_names;   // clear_stages
  std::string camera;                     // share / revoke
  std::string account;                    // share / revoke
  std::string phase;                      // phase
  uint32_t attempts = 0;                  // redial: failed attempts before this one
  uint64_t seed = 0;                      // drop / redial: seed for the device's own retries
  std::string note;                       // extra words for explain, e.g. "step 3/120"
};
std::string_view to_string(TimedAction::Kind kind);

struct Timeline {
  uint64_t seed = 0;
  Micros duration{};
  std::vector<TimedAction> actions;  // sorted by time; equal times keep generation order

  // One line per action, for `camleak explain` and for comparing schedules byte by byte.
  std::string to_text() const;
};

Timeline resolve(const scenario::Scenario& scenario, uint64_t seed);

// One action on one line for the report's schedule, long lists cut after 6 names:
// "partition_start on live:hub-2, live:hub-3".
std::string action_text(const TimedAction& action);

// "latency_downstream{latency down jitter=0 latency=500 ...}": a stage spec on one line.
std::string stage_text(const impair::StageSpec& spec);

// `fraction` of `candidates` chosen with Rng(seed): round(fraction * n), at least one when the
// fraction is above zero; returned in the candidates' order. Exposed for tests.
std::vector<std::string> choose_fraction(const std::vector<std::string>& candidates,
                                         double fraction, uint64_t seed);

// One storm member's schedule, exposed for tests.
struct StormMember {
  std::string device;
  Micros drop{};
  Micros redial{};
  uint32_t attempts = 0;
};
std::vector<StormMember> resolve_storm(const scenario::StormAction& storm,
                                       const std::vector<std::string>& members, Micros at,
                                       uint64_t seed, const std::string& id);

}  // namespace camleak::schedule
