#pragma once
// Matching devices against a Selector (without the seeded fraction, which schedule applies).
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/scenario.hpp"

namespace camleak::scenario {

// Shell-style glob: `*` any run of characters, `?` one character, everything else literal.
bool glob_match(std::string_view pattern, std::string_view text);

// The devices of `kind` that match every name list of `selector`, in fleet order. The fraction
// is not applied here.
std::vector<std::string> match_devices(const Selector& selector, DeviceKind kind,
                                       const Fleet& fleet);

}  // namespace camleak::scenario
