#include "harness/runner/play_order.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace camleak::runner {

std::vector<DueAction> play_order(const schedule::Timeline& timeline, Micros until,
                                  Micros revoke_lead) {
  std::vector<DueAction> order;
  // The latest due time of a share per (camera, account), in nominal order.
  std::map<std::pair<std::string, std::string>, Micros> share_due;
  for (size_t i = 0; i < timeline.actions.size(); ++i) {
    const auto& action = timeline.actions[i];
    if (action.time >= until) continue;
    Micros due = std::max(Micros{0}, action.time);
    if (const auto* revoke = action.as<schedule::step::Revoke>()) {
      due = std::max(Micros{0}, action.time - revoke_lead);
      const auto it = share_due.find({revoke->camera, revoke->account});
      if (it != share_due.end()) due = std::max(due, it->second);
    }
    if (const auto* share = action.as<schedule::step::Share>())
      share_due[{share->camera, share->account}] = due;
    order.push_back({due, i});
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const DueAction& a, const DueAction& b) { return a.due < b.due; });
  return order;
}

Micros lateness_budget(const schedule::Step& step, Micros revoke_lead) {
  if (std::holds_alternative<schedule::step::PhaseStart>(step)) return Micros::max();
  if (std::holds_alternative<schedule::step::Revoke>(step)) return revoke_lead / 2;
  return std::chrono::seconds(1);
}

}  // namespace camleak::runner
