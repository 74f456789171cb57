#pragma once
// When the Player sends each action of a resolved timeline, and which lateness matters. Pure:
// no clock, no I/O, so the order and the rules are unit-tested with plain numbers.
//
// Actions are sent in the order they are *due*, not in the order of their nominal times: a
// revoke is due kRevokeLead before its time (so the SUT has it when the ground truth says the
// share ends), and walking nominal times would hold it behind any action in those last
// milliseconds (a phase marker at the same second is the natural case), sending it late.
#include <cstddef>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/schedule/timeline.hpp"

namespace camleak::runner {

struct DueAction {
  Micros due{};
  size_t index = 0;  // into Timeline::actions
};

// Every action before `until`, ordered by due time (ties keep timeline order). A revoke is due
// `revoke_lead` before its time, but never before an earlier share of the same camera and
// account is due: the SUT must see grant and revoke in the order the scenario wrote them.
// Nothing is due before time 0.
std::vector<DueAction> play_order(const schedule::Timeline& timeline, Micros until,
                                  Micros revoke_lead);

// Sending later than this after the due time is reported (as a note).
inline constexpr Micros kLatenessTolerance = std::chrono::milliseconds(100);

// How late an action may be sent before the verdict could depend on it (then the run is a
// harness error, exit 3). A revoke has half its lead: the SUT still learns of it well before
// the share ends. A share only delays the sharee's first frame, and a fault moves its window
// by that much; both are covered by the liveness margins (first frame 6 s, recovery 10 s) up to
// a second. Phase markers only label progress (the oracle's phases come from the scenario).
Micros lateness_budget(const schedule::Step& step, Micros revoke_lead);

}  // namespace camleak::runner
