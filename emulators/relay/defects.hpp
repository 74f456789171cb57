#pragma once
// The defect switches of the reference relay. Each one reproduces one real incident class by a
// real mechanism that only its stress condition triggers (see DEFECTS.md). All are off by
// default; a relay with every switch off must never leak under any fault.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace camleak::relay {

enum class Defect {
  weak_signal_cache,     // January 2020: resume cache keyed by viewer slot instead of camera
  storm_mapping_mixup,   // February 2024: mapping lookups matched FIFO instead of by request id
  restart_session_swap,  // May 2021: counter session ids + unchecked resume after a restart
};

struct DefectSet {
  bool weak_signal_cache = false;
  bool storm_mapping_mixup = false;
  bool restart_session_swap = false;

  bool has(Defect d) const;
  void set(Defect d, bool on = true);
  bool any() const { return weak_signal_cache || storm_mapping_mixup || restart_session_swap; }
  bool operator==(const DefectSet&) const = default;
};

// "weak-signal-cache" <-> Defect::weak_signal_cache.
std::string_view defect_name(Defect d);
std::optional<Defect> parse_defect(std::string_view name);
std::vector<std::string> defect_names();
std::vector<std::string> enabled_defect_names(const DefectSet& set);

}  // namespace camleak::relay
