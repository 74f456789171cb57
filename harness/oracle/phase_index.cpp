#include "harness/oracle/phase_index.hpp"

#include "harness/core/errors.hpp"

namespace camleak::oracle {

PhaseIndex::PhaseIndex(std::vector<Phase> phases) : phases_(std::move(phases)) {
  std::vector<Diagnostic> problems;
  for (size_t i = 0; i < phases_.size(); ++i) {
    const std::string field = "phases[" + std::to_string(i) + "]";
    if (phases_[i].name.empty()) problems.push_back({.field = field + ".name", .message = "empty"});
    if (phases_[i].end < phases_[i].start)
      problems.push_back({.field = field + ".end", .message = "ends before it starts"});
    for (size_t j = 0; j < i; ++j)
      if (phases_[j].name == phases_[i].name)
        problems.push_back(
            {.field = field + ".name", .message = "duplicate phase '" + phases_[i].name + "'"});
  }
  if (!problems.empty()) throw InputError(std::move(problems));
}

size_t PhaseIndex::find(std::string_view name) const {
  for (size_t i = 0; i < phases_.size(); ++i)
    if (phases_[i].name == name) return i;
  return phases_.size();
}

std::vector<std::string> PhaseIndex::names_containing(Micros t) const {
  std::vector<std::string> names;
  for_each_containing(t, [&](size_t i) { names.push_back(phases_[i].name); });
  return names;
}

}  // namespace camleak::oracle
