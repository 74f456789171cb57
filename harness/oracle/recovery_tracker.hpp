#pragma once
// Time to recover after each fault, per hub: from the end of the fault to the hub's first OK
// delivery (live frame or snapshot) at or after it. Only hubs that had an OK delivery before the
// fault ended are measured (a hub that had not started yet has nothing to recover). A hub that
// never recovers before the run ends is reported as not recovered.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "harness/oracle/checks.hpp"

namespace camleak::oracle {

struct Recovery {
  std::string hub;
  std::string fault;  // FaultWindow::name
  std::string link;
  Micros fault_end{0};
  bool recovered = false;
  Micros time{0};  // first OK delivery - fault end; run end - fault end when not recovered
};

class RecoveryTracker {
 public:
  explicit RecoveryTracker(std::vector<FaultWindow> faults);

  void on_ok_delivery(std::string_view hub, Micros at);
  // Every measured recovery so far plus the hubs still waiting at `run_end`.
  std::vector<Recovery> results(Micros run_end) const;
  const std::vector<FaultWindow>& faults() const { return faults_; }

 private:
  struct HubState {
    Micros first_ok{0};
    size_t next_fault = 0;  // faults_ are sorted by end; index of the first not yet settled
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::vector<FaultWindow> faults_;
  std::unordered_map<std::string, HubState, Hash, std::equal_to<>> hubs_;
  std::vector<Recovery> settled_;
};

}  // namespace camleak::oracle
