#include "emulators/relay/defects.hpp"

namespace camleak::relay {

bool DefectSet::has(Defect d) const {
  switch (d) {
    case Defect::weak_signal_cache:
      return weak_signal_cache;
    case Defect::storm_mapping_mixup:
      return storm_mapping_mixup;
    case Defect::restart_session_swap:
      return restart_session_swap;
  }
  return false;
}

void DefectSet::set(Defect d, bool on) {
  switch (d) {
    case Defect::weak_signal_cache:
      weak_signal_cache = on;
      break;
    case Defect::storm_mapping_mixup:
      storm_mapping_mixup = on;
      break;
    case Defect::restart_session_swap:
      restart_session_swap = on;
      break;
  }
}

std::vector<std::string> enabled_defect_names(const DefectSet& set) {
  std::vector<std::string> out;
  for (Defect d : kAllDefects) {
    if (set.has(d)) out.emplace_back(defect_name(d));
  }
  return out;
}

}  // namespace camleak::relay
