#pragma once
// Which phases contain a time, and how a time span splits over phases. Phases are few (a
// scenario has a handful), so a linear scan over them is the cheap and simple choice.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "harness/oracle/checks.hpp"

namespace camleak::oracle {

class PhaseIndex {
 public:
  // Throws InputError on an empty or duplicate name, or end < start.
  explicit PhaseIndex(std::vector<Phase> phases);

  size_t size() const { return phases_.size(); }
  const Phase& operator[](size_t i) const { return phases_[i]; }
  const std::vector<Phase>& phases() const { return phases_; }
  // Index of the phase called `name`, or size() when there is none.
  size_t find(std::string_view name) const;

  template <typename F>
  void for_each_containing(Micros t, F&& f) const {
    for (size_t i = 0; i < phases_.size(); ++i)
      if (phases_[i].contains(t)) f(i);
  }
  // Calls f(i, overlap) for every phase that overlaps [from, to) by a positive duration.
  template <typename F>
  void for_each_overlap(Micros from, Micros to, F&& f) const {
    for (size_t i = 0; i < phases_.size(); ++i) {
      const Micros overlap = std::min(to, phases_[i].end) - std::max(from, phases_[i].start);
      if (overlap > Micros{0}) f(i, overlap);
    }
  }
  std::vector<std::string> names_containing(Micros t) const;

 private:
  std::vector<Phase> phases_;
};

}  // namespace camleak::oracle
