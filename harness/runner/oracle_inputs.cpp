#include "harness/runner/oracle_inputs.hpp"

#include <map>
#include <string>

#include "harness/core/overloaded.hpp"
#include "harness/runner/fleet.hpp"

namespace camleak::runner {
namespace {

oracle::PhaseChecks phase_checks(const scenario::Phase& phase) {
  return oracle::PhaseChecks{.phase = phase.name,
                             .max_stall = phase.limits.max_stall,
                             .max_recovery = phase.limits.max_recovery,
                             .min_delivered_ratio = phase.limits.min_delivered_ratio,
                             .freshness = phase.limits.freshness,
                             .probes_refused = phase.limits.probes_refused};
}

}  // namespace

std::vector<oracle::FaultWindow> fault_windows(const schedule::Timeline& timeline) {
  std::vector<oracle::FaultWindow> faults;
  // Open windows keyed by (kind of fault, link or device): closed by the matching end action.
  std::map<std::string, size_t> open;
  auto open_window = [&](const std::string& key, std::string name, std::string link, Micros at) {
    if (open.contains(key)) return;  // already open: a second start does not restart the window
    open[key] = faults.size();
    faults.push_back(
        {.name = std::move(name), .link = std::move(link), .start = at, .end = timeline.duration});
  };
  auto close_window = [&](const std::string& key, Micros at) {
    const auto it = open.find(key);
    if (it == open.end()) return;
    faults[it->second].end = at;
    open.erase(it);
  };

  namespace step = schedule::step;
  for (const auto& action : timeline.actions) {
    if (action.time >= timeline.duration) continue;
    const Micros at = action.time;
    std::visit(
        overloaded{
            [&](const step::PartitionStart&) {
              for (const auto& link : action.links)
                open_window("partition/" + link, "partition " + link, link, at);
            },
            [&](const step::PartitionEnd&) {
              for (const auto& link : action.links) close_window("partition/" + link, at);
            },
            [&](const step::SetStages& set) {
              for (const auto& link : action.links) {
                for (const auto& stage : set.stages)
                  open_window("stage/" + link + "/" + stage.name, stage.type + " on " + link, link,
                              at);
              }
            },
            [&](const step::ClearStages& clear) {
              for (const auto& link : action.links) {
                // Close every open stage window of the link that this clear removes.
                const std::string prefix = "stage/" + link + "/";
                for (auto it = open.begin(); it != open.end();) {
                  if (it->first.rfind(prefix, 0) != 0) {
                    ++it;
                    continue;
                  }
                  const std::string stage_name = it->first.substr(prefix.size());
                  bool removed = clear.names.empty();
                  for (const auto& name : clear.names) {
                    const auto& window = faults[it->second];
                    if (name == stage_name || window.name.rfind(name + " on ", 0) == 0)
                      removed = true;
                  }
                  if (removed) {
                    faults[it->second].end = at;
                    it = open.erase(it);
                  } else {
                    ++it;
                  }
                }
              }
            },
            [&](const step::Drop&) {
              for (const auto& device : action.devices) {
                open_window("storm/" + device, "storm drop " + device, "", at);
                faults[open["storm/" + device]].devices = {device};
              }
            },
            [&](const step::Redial&) {
              for (const auto& device : action.devices) close_window("storm/" + device, at);
            },
            [&](const step::SutRestart&) {
              // The restart itself is instantaneous in the schedule; the window ends when the
              // player sees the SUT ready again, which the schedule cannot know: a second is
              // assumed here and recovery is measured from it.
              faults.push_back({.name = "sut restart",
                                .link = "",
                                .start = at,
                                .end = std::min(timeline.duration, at + std::chrono::seconds(1))});
            },
            // Not faults: grants and revokes are judged by the ground truth, phases by their
            // checks.
            [](const step::Share&) {},
            [](const step::Revoke&) {},
            [](const step::PhaseStart&) {},
        },
        action.step);
  }
  return faults;
}

OracleInputs make_oracle_inputs(const scenario::Scenario& scenario,
                                const schedule::Timeline& timeline) {
  OracleInputs in;
  for (const auto& account : scenario.fleet.accounts) in.truth.accounts.push_back(account.name);
  for (const auto& camera : scenario.fleet.cameras) {
    in.truth.cameras.push_back(
        {.name = camera.name, .owner = camera.owner, .pixel_code = camera.code});
  }
  for (const auto& share : scenario.shares) {
    in.truth.shares.push_back({.camera = share.camera,
                               .account = share.account,
                               .from = share.from,
                               .until = share.until});
  }
  for (const auto& hub : scenario.fleet.hubs)
    in.truth.hubs.push_back(
        {.name = hub.name, .account = hub.account, .watches = watched_cameras(scenario, hub)});
  in.truth.freshness = scenario.checks.defaults.freshness;
  in.truth.revoke_grace = scenario.checks.revoke_grace;
  const auto& liveness = scenario.checks.liveness;
  in.checks.liveness = {.enabled = liveness.enabled,
                        .first_frame = liveness.first_frame,
                        .max_stall = liveness.max_stall,
                        .fault_recovery = liveness.fault_recovery,
                        .min_delivered_ratio = liveness.min_delivered_ratio};

  for (const auto& phase : scenario.phases) {
    in.phases.push_back({.name = phase.name, .start = phase.start, .end = phase.end});
    in.checks.phases.push_back(phase_checks(phase));
  }
  in.faults = fault_windows(timeline);
  // A fault on a link impairs that link's device (a storm already names its device).
  for (auto& fault : in.faults) {
    if (fault.link.empty()) continue;
    if (const auto* link = scenario.link(fault.link)) fault.devices = {link->device};
  }
  return in;
}

}  // namespace camleak::runner
