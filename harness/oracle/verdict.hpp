#pragma once
// The judgement of one delivered frame or snapshot.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/observation.hpp"

namespace camleak::oracle {

// Ordered by precedence, most serious first (see classifier.hpp for the rules).
enum class VerdictKind { leak, splice, forged, stale, unverifiable, ok };
inline constexpr size_t kVerdictKinds = 6;

inline constexpr std::array<VerdictKind, kVerdictKinds> kAllVerdictKinds = {
    VerdictKind::leak,  VerdictKind::splice,       VerdictKind::forged,
    VerdictKind::stale, VerdictKind::unverifiable, VerdictKind::ok};

// "LEAK", "SPLICE", "FORGED", "STALE", "UNVERIFIABLE", "OK".
std::string_view to_string(VerdictKind kind);

struct Verdict {
  VerdictKind kind = VerdictKind::ok;
  std::string camera;         // camera the verdict is about; "" when no identity was readable
  std::string owner;          // that camera's owner according to the ground truth
  std::optional<Micros> age;  // received_at - capture_time, when a capture time was read
  std::string reason;         // one line explaining a non-OK verdict; empty for OK
};

// A non-OK verdict kept with the observation it judged (the evidence).
struct Finding {
  Observation observation;
  Verdict verdict;
  std::vector<std::string> phases;  // names of the phases containing observation.received_at
};

// A run-clock time or duration as seconds with millisecond precision: "12.345s".
std::string format_seconds(Micros t);

// One line naming everything a person needs to act on a finding: verdict, hub, its account, the
// camera shown, its owner, the delivery time and the frame's sequence number, then the reason.
std::string describe(const Finding& finding);

}  // namespace camleak::oracle
