#include "reports/record_builder.hpp"

#include <map>
#include <tuple>

namespace camleak::reports {

std::vector<FaultCounter> count_fault_events(const std::vector<FaultEvent>& events) {
  std::vector<FaultCounter> counters;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, size_t> index;
  for (const auto& e : events) {
    auto key = std::make_tuple(e.link, e.direction, e.stage, e.action);
    auto [it, inserted] = index.emplace(std::move(key), counters.size());
    if (inserted)
      counters.push_back(FaultCounter{
          .link = e.link, .direction = e.direction, .stage = e.stage, .action = e.action});
    auto& counter = counters[it->second];
    ++counter.count;
    counter.bytes += e.bytes;
  }
  return counters;
}

std::vector<std::string> active_faults_at(const std::vector<oracle::FaultWindow>& faults,
                                          Micros t) {
  std::vector<std::string> active;
  for (const auto& f : faults) {
    if (t < f.start || t >= f.end) continue;
    const bool names_link = f.link.empty() || f.name.find(f.link) != std::string::npos;
    active.push_back(names_link ? f.name : f.name + " (" + f.link + ")");
  }
  return active;
}

void fill_active_faults(RunRecord& record) {
  for (auto& e : record.evidence)
    if (e.active_faults.empty())
      e.active_faults = active_faults_at(record.faults, e.finding.observation.received_at);
}

}  // namespace camleak::reports
