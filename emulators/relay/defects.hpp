#pragma once
// The defect switches of the reference relay. Each one reproduces one real incident class by a
// real mechanism that only its stress condition triggers (see DEFECTS.md). All are off by
// default; a relay with every switch off must never leak under any fault. The switches and
// their names are camleak::Defect (harness/core/defect.hpp).
#include <string>
#include <vector>

#include "harness/core/defect.hpp"

namespace camleak::relay {

struct DefectSet {
  bool weak_signal_cache = false;
  bool storm_mapping_mixup = false;
  bool restart_session_swap = false;

  bool has(Defect d) const;
  void set(Defect d, bool on = true);
  bool any() const { return weak_signal_cache || storm_mapping_mixup || restart_session_swap; }
  bool operator==(const DefectSet&) const = default;
};

std::vector<std::string> enabled_defect_names(const DefectSet& set);

}  // namespace camleak::relay
