#include "harness/runner/play_order.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace camleak::runner {

using Kind = schedule::TimedAction::Kind;

std::vector<DueAction> play_order(const schedule::Timeline& timeline, Micros until, Micros revoke_lead) {
  std::vector<DueAction> order;
  // The latest due time of a share per (camera, account), in nominal order.
  std::map<std::pair<std::string, std::string>, Micros> share_due;
  for (size_t i = 0; i < timeline.actions.size(); ++i) {
    const auto& action = timeline.actions[i];
    if (action.time >= until) continue;
    Micros due = std::max(Micros{0}, action.time);
    const auto pair = std::make_pair(action.camera, action.account);
    if (action.kind == Kind::revoke) {
      due = std::max(Micros{0}, action.time - revoke_lead);
      if (const auto it = share_due.find(pair); it != share_due.end()) due = std::max(due, it->second);
    }
    if (action.kind == Kind::share) share_due[pair] = due;
    order.push_back({due, i});
  }
  std::stable_sort(order.begin(), order.end(), [](const DueAction& a, const DueAction& b) { return a.due < b.due; });
  return order;
}

Micros lateness_budget(Kind kind, Micros revoke_lead) {
  switch (kind) {
    case Kind::phase:
      return Micros::max();
    case Kind::revoke:
      return revoke_lead / 2;
    default:
      return std::chrono::seconds(1);
  }
}

}  // namespace camleak::runner
