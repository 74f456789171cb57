#pragma once
// The defect switches of the reference relay, named once for everything that speaks of them:
// the scenario language (`sut.builtin.defects`), the relay's own config and CLI, and reports.
// Each reproduces one real incident class (emulators/relay/DEFECTS.md).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace camleak {

enum class Defect {
  weak_signal_cache,     // January 2020: resume cache keyed by viewer slot instead of camera
  storm_mapping_mixup,   // February 2024: mapping lookups matched FIFO instead of by request id
  restart_session_swap,  // May 2021: counter session ids + unchecked resume after a restart
};
inline constexpr Defect kAllDefects[] = {Defect::weak_signal_cache, Defect::storm_mapping_mixup,
                                         Defect::restart_session_swap};

// "weak-signal-cache" <-> Defect::weak_signal_cache.
std::string_view defect_name(Defect d);
std::optional<Defect> parse_defect(std::string_view name);
std::vector<std::string> defect_names();  // in kAllDefects order

}  // namespace camleak
