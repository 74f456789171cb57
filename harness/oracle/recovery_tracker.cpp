#include "harness/oracle/recovery_tracker.hpp"

#include <algorithm>

namespace camleak::oracle {

RecoveryTracker::RecoveryTracker(std::vector<FaultWindow> faults) : faults_(std::move(faults)) {
  std::stable_sort(faults_.begin(), faults_.end(),
                   [](const FaultWindow& a, const FaultWindow& b) { return a.end < b.end; });
}

void RecoveryTracker::on_ok_delivery(std::string_view hub, Micros at) {
  auto it = hubs_.find(hub);
  if (it == hubs_.end()) {
    // First OK delivery of this hub: faults that ended before it are nothing it recovered from.
    HubState state{.first_ok = at};
    while (state.next_fault < faults_.size() && faults_[state.next_fault].end <= at)
      ++state.next_fault;
    hubs_.emplace(std::string(hub), state);
    return;
  }
  auto& state = it->second;
  while (state.next_fault < faults_.size() && faults_[state.next_fault].end <= at) {
    const auto& fault = faults_[state.next_fault++];
    if (state.first_ok >= fault.end) continue;
    settled_.push_back(Recovery{.hub = it->first,
                                .fault = fault.name,
                                .link = fault.link,
                                .fault_end = fault.end,
                                .recovered = true,
                                .time = at - fault.end});
  }
}

std::vector<Recovery> RecoveryTracker::results(Micros run_end) const {
  std::vector<Recovery> all = settled_;
  for (const auto& [hub, state] : hubs_) {
    for (size_t i = state.next_fault; i < faults_.size() && faults_[i].end <= run_end; ++i) {
      if (state.first_ok >= faults_[i].end) continue;
      all.push_back(Recovery{.hub = hub,
                             .fault = faults_[i].name,
                             .link = faults_[i].link,
                             .fault_end = faults_[i].end,
                             .recovered = false,
                             .time = run_end - faults_[i].end});
    }
  }
  std::sort(all.begin(), all.end(), [](const Recovery& a, const Recovery& b) {
    return std::tie(a.fault_end, a.hub, a.fault) < std::tie(b.fault_end, b.hub, b.fault);
  });
  return all;
}

}  // namespace camleak::oracle
