#pragma once
// What a scenario needs of a SUT and what an adapter says the SUT has, in one vocabulary, so a
// scenario the SUT cannot run is reported as not applicable (with the reason) instead of failing
// for the wrong reason or, worse, passing with part of it silently left out. Pure.
//
//   tcp       RTP interleaved in RTSP/TCP          udp       RTP over UDP
//   share     shares and revokes                   snapshot  HTTP snapshots (polls or probes)
//   restart   a `sut: restart` in the timeline
#include <set>
#include <string>
#include <vector>

#include "harness/scenario/scenario.hpp"

namespace camleak::scenario {

const std::vector<std::string>& capability_names();
std::set<std::string> needed_capabilities(const Scenario& scenario);
// The adapter's, plus restart when the SUT can be restarted.
std::set<std::string> offered_capabilities(const Scenario& scenario);
// What the scenario needs that its SUT does not offer (capability names, sorted).
std::vector<std::string> missing_capabilities(const Scenario& scenario);
// "needs share, udp: the adapter `x` has none" or "" when nothing is missing.
std::string not_applicable_reason(const Scenario& scenario);

}  // namespace camleak::scenario
