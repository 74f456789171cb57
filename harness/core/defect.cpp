#include "harness/core/defect.hpp"

#include <array>
#include <utility>

namespace camleak {
namespace {

using namespace std::string_view_literals;

// In kAllDefects order; the static_assert below keeps the two the same length.
constexpr std::array kDefectNames{
    std::pair{Defect::weak_signal_cache, "weak-signal-cache"sv},
    std::pair{Defect::storm_mapping_mixup, "storm-mapping-mixup"sv},
    std::pair{Defect::restart_session_swap, "restart-session-swap"sv}};
static_assert(kDefectNames.size() == std::size(kAllDefects), "every defect needs its name");

}  // namespace

std::string_view defect_name(Defect d) {
  for (const auto& [defect, name] : kDefectNames) {
    if (defect == d) return name;
  }
  return "unknown";
}

std::optional<Defect> parse_defect(std::string_view name) {
  for (const auto& [defect, text] : kDefectNames) {
    if (text == name) return defect;
  }
  return std::nullopt;
}

std::vector<std::string> defect_names() {
  std::vector<std::string> out;
  for (Defect d : kAllDefects) out.emplace_back(defect_name(d));
  return out;
}

}  // namespace camleak
