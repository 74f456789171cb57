#pragma once
// The resolved, seeded fault schedule: every action of a scenario with its exact time and its
// exact targets. Pure: no I/O, no clock. The same Scenario and seed give the same Timeline (and
// a byte-identical to_text()) on every platform, because every random choice comes from
// camleak::Rng streams derived per purpose from the seed and the timeline entry's id:
//   Rng::derive(seed, "<id>/select")         which devices a fraction selects
//   Rng::derive(seed, "<id>/member/<device>") a storm member's drop time and backoff draws
// so adding or removing one timeline entry never changes the choices of another.
//
// The run loop plays `actions` in order at `time` (relative to the run's start). What an action
// does is its `step`, one type per kind of action in a variant, so that every place that acts on
// actions visits it and a new kind does not compile until each of them handles it. Where it
// acts is `links` and `devices`, common to all kinds (empty for share, revoke, phase, restart).
// Actions at or after the scenario's duration are listed (explain shows them) but never played.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/impair/chain.hpp"
#include "harness/scenario/scenario.hpp"

namespace camleak::schedule {

// The kinds of step. `kName` is the word explain, reports and events use for it.
namespace step {
// Add each spec of `stages` to every link, replacing a stage of the same name.
struct SetStages {
  static constexpr std::string_view kName = "set";
  std::vector<impair::StageSpec> stages;
};
// Remove the stages named in `names` (a name, or a stage type meaning every stage of that type)
// from every link; empty = remove every stage. Links without such a stage are left alone.
struct ClearStages {
  static constexpr std::string_view kName = "clear";
  std::vector<std::string> names;
};
// Cut the links completely (no byte passes either way) ...
struct PartitionStart {
  static constexpr std::string_view kName = "partition";
};
// ... and heal them.
struct PartitionEnd {
  static constexpr std::string_view kName = "heal";
};
// The devices close every connection on their links, and new ones are refused until ...
struct Drop {
  static constexpr std::string_view kName = "drop";
};
// ... the devices reconnect, after `attempts` failed attempts in the storm's backoff.
struct Redial {
  static constexpr std::string_view kName = "redial";
  uint32_t attempts = 0;
};
struct SutRestart {
  static constexpr std::string_view kName = "sut-restart";
};
// PUT / DELETE the share of `camera` with `account` on the SUT's admin API.
struct Share {
  static constexpr std::string_view kName = "share";
  std::string camera;
  std::string account;
};
struct Revoke {
  static constexpr std::string_view kName = "revoke";
  std::string camera;
  std::string account;
};
// Phase `name` starts (for checks and reports).
struct PhaseStart {
  static constexpr std::string_view kName = "phase";
  std::string name;
};
}  // namespace step

using Step = std::variant<step::SetStages, step::ClearStages, step::PartitionStart,
                          step::PartitionEnd, step::Drop, step::Redial, step::SutRestart,
                          step::Share, step::Revoke, step::PhaseStart>;

// "set", "revoke", ...: the step's kName.
std::string_view kind_name(const Step& step);

struct TimedAction {
  Micros time{};
  Step step;
  std::string source;                // timeline entry id, or "shares[i]"
  std::vector<std::string> links;    // link names ("live:hub-2"), in fleet order
  std::vector<std::string> devices;  // device names, in fleet order
  std::string note;                  // extra words for explain, e.g. "step 3/120"

  template <class T>
  const T* as() const {
    return std::get_if<T>(&step);
  }
  template <class T>
  bool is() const {
    return std::holds_alternative<T>(step);
  }
};

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
