#pragma once
// Named link profiles (`profile: 3g`) with the values of widely used network-conditioner presets:
// WebPageTest's connectivity profiles, Chrome DevTools' throttling presets and Apple's Network
// Link Conditioner. Each profile names its source; scenarios/README.md lists them all.
//
// "down" is toward the device (SUT -> camera or hub), "up" is from the device (device -> SUT).
// Latencies are one-way and added in each direction; presets that give a round-trip time are
// split in half.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/clock.hpp"

namespace camleak::scenario {

// The shorthand knobs of a link: what a profile sets and what a scenario may override.
struct LinkParams {
  std::optional<uint64_t> down_bps;
  std::optional<uint64_t> up_bps;
  std::optional<Micros> down_latency;
  std::optional<Micros> up_latency;
  std::optional<Micros> jitter;     // both directions
  std::optional<double> down_loss;  // fraction in [0, 1]; applied on datagram (UDP) links only
  std::optional<double> up_loss;

  bool empty() const {
    return !down_bps && !up_bps && !down_latency && !up_latency && !jitter && !down_loss &&
           !up_loss;
  }
  // Every knob set in `over` replaces the one here.
  void apply(const LinkParams& over);
};

struct Profile {
  std::string name;
  std::string summary;  // one line for README / explain
  std::string source;   // where the values come from
  LinkParams params;
};

// Every built-in profile, in the order the README lists them.
const std::vector<Profile>& builtin_profiles();
const Profile* find_profile(std::string_view name);
std::vector<std::string> profile_names();

}  // namespace camleak::scenario
