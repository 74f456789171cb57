#pragma once
// A readable listing of a loaded scenario (SUT, fleet, shares, links, phases and checks), the
// first half of `camleak explain`.
#include <string>

#include "harness/scenario/scenario.hpp"

namespace camleak::scenario {

std::string describe(const Scenario& scenario);

}  // namespace camleak::scenario
