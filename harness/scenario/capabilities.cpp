#include "harness/scenario/capabilities.hpp"

#include <type_traits>

namespace camleak::scenario {

const std::vector<std::string>& capability_names() {
  static const std::vector<std::string> kNames{"tcp", "udp", "share", "snapshot", "restart"};
  return kNames;
}

std::set<std::string> needed_capabilities(const Scenario& scenario) {
  std::set<std::string> out;
  for (const auto& c : scenario.fleet.cameras)
    out.insert(c.transport == MediaTransport::udp ? "udp" : "tcp");
  for (const auto& h : scenario.fleet.hubs) {
    out.insert(h.transport == MediaTransport::udp ? "udp" : "tcp");
    if (h.snapshot_interval.count() > 0 || (h.probe_interval.count() > 0 && !h.probe_live))
      out.insert("snapshot");
  }
  if (!scenario.shares.empty()) out.insert("share");
  for (const auto& e : scenario.timeline) {
    if (std::holds_alternative<ShareAction>(e.body) || std::holds_alternative<RevokeAction>(e.body))
      out.insert("share");
    if (std::holds_alternative<SutRestartAction>(e.body)) out.insert("restart");
    // A fault on snapshot links needs them to exist.
    std::visit(
        [&](const auto& action) {
          if constexpr (std::is_base_of_v<LinkTarget, std::decay_t<decltype(action)>>) {
            if (action.role == LinkRole::snapshot) out.insert("snapshot");
          }
        },
        e.body);
  }
  return out;
}

std::set<std::string> offered_capabilities(const Scenario& scenario) {
  const Adapter& a = scenario.sut.adapter;
  std::set<std::string> out(a.transports.begin(), a.transports.end());
  if (a.share.present() && a.revoke.present()) out.insert("share");
  if (a.snapshot_present) out.insert("snapshot");
  if (scenario.sut.can_restart()) out.insert("restart");
  return out;
}

std::vector<std::string> missing_capabilities(const Scenario& scenario) {
  const auto offered = offered_capabilities(scenario);
  std::vector<std::string> out;
  for (const auto& need : needed_capabilities(scenario))
    if (!offered.contains(need)) out.push_back(need);
  return out;
}

std::string not_applicable_reason(const Scenario& scenario) {
  const auto missing = missing_capabilities(scenario);
  if (missing.empty()) return "";
  std::string list;
  for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
  const std::string adapter =
      scenario.sut.adapter.name.empty() ? std::string("contract") : scenario.sut.adapter.name;
  return "needs " + list + ", which the SUT (adapter `" + adapter + "`) does not offer";
}

}  // namespace camleak::scenario
