#include "harness/runner/player.hpp"

#include <algorithm>

#include "harness/core/errors.hpp"
#include "harness/core/overloaded.hpp"
#include "harness/core/units.hpp"
#include "harness/impair/registry.hpp"
#include "harness/proxy/proxy.hpp"
#include "harness/proxy/session_routes.hpp"
#include "harness/runner/device_fleet.hpp"
#include "harness/runner/sut_admin.hpp"
#include "harness/runner/sut_driver.hpp"

namespace camleak::runner {
namespace {

constexpr const char* kPartitionUp = "partition_up";
constexpr const char* kPartitionDown = "partition_down";

// A partition holds a TCP stream's bytes (as a real network holds segments that TCP keeps
// retransmitting) and releases them when it heals; UDP datagrams are simply lost.
impair::StageSpec partition_stage(const char* name, impair::Direction direction, bool datagram) {
  impair::StageSpec spec;
  spec.name = name;
  spec.direction = direction;
  if (datagram) {
    spec.type = "loss";
    spec.attributes = {{"probability", 100.0}};
  } else {
    spec.type = "latency";
    spec.attributes = {{"latency", int64_t{24 * 3600 * 1000}}};
  }
  return spec;
}

}  // namespace

Player::Player(const schedule::Timeline& timeline, Micros until, const Clock& clock,
               PlayerTargets targets)
    : timeline_(timeline),
      until_(until),
      order_(play_order(timeline, until, kRevokeLead)),
      clock_(clock),
      targets_(std::move(targets)) {}

void Player::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
  wake_.notify_all();
}

bool Player::wait_until(Micros t, const std::function<void(const std::string&)>& tick) {
  std::unique_lock lock(mutex_);
  while (!stopped_) {
    const Micros now = clock_.now();
    if (now >= t) return true;
    const Micros step = std::min<Micros>(t - now, std::chrono::milliseconds(250));
    wake_.wait_for(lock, step);
    lock.unlock();
    if (tick) tick(phase_);
    lock.lock();
  }
  return false;
}

void Player::record(const schedule::TimedAction& action, const std::string& what) {
  targets_.events.record(FaultEvent{.time = clock_.now(),
                                    .link = action.links.size() == 1 ? action.links.front() : "",
                                    .stage = std::string(schedule::kind_name(action.step)),
                                    .action = what});
}

void Player::send_next() {
  const DueAction& next = order_[next_++];
  const auto& action = timeline_.actions[next.index];
  const Micros late = clock_.now() - next.due;
  if (late > kLatenessTolerance) {
    const std::string text =
        std::string(schedule::kind_name(action.step)) + " at " +
        units::format_duration(action.time) + " was sent " +
        units::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(late)) +
        " after it was due";
    if (late > lateness_budget(action.step, kRevokeLead))
      errors_.push_back(text + ", past what the verdict can absorb");
    else
      notes_.push_back(text);
  }
  execute(action);
}

void Player::play_initial() {
  while (next_ < order_.size() && order_[next_].due <= Micros{0}) send_next();
}

void Player::play(const std::function<void(const std::string& phase)>& tick) {
  while (next_ < order_.size()) {
    if (!wait_until(order_[next_].due, tick)) return;
    send_next();
  }
  wait_until(until_, tick);
}

// On a link whose RTP goes over UDP, datagram stages act on its media routes and stream stages
// on its RTSP connection.
void Player::set_stages(const schedule::TimedAction& action, const schedule::step::SetStages& set) {
  for (const auto& link : action.links) {
    const bool routed = targets_.routes.has_parent(link);
    for (const auto& spec : set.stages) {
      if (routed && targets_.proxy.registry().is_datagram(spec.type)) {
        targets_.routes.set_stage(link, spec);
        continue;
      }
      // A set replaces a stage of the same name.
      targets_.proxy.remove_stage(link, spec.name);  // replaced when present
      targets_.proxy.add_stage(link, spec);
    }
  }
}

void Player::clear_stages(const schedule::TimedAction& action,
                          const schedule::step::ClearStages& clear) {
  const auto named = [&](const impair::StageSpec& spec) {
    if (spec.name == kPartitionUp || spec.name == kPartitionDown)
      return false;  // partitions heal on their own
    const auto& names = clear.names;
    return names.empty() || std::find(names.begin(), names.end(), spec.name) != names.end() ||
           std::find(names.begin(), names.end(), spec.type) != names.end();
  };
  for (const auto& link : action.links) {
    for (const auto& spec : targets_.proxy.link(link).stages) {
      if (named(spec)) targets_.proxy.remove_stage(link, spec.name);
    }
    for (const auto& spec : targets_.routes.stages(link)) {
      if (named(spec)) targets_.routes.remove_stage(link, spec.name);
    }
  }
}

void Player::partition(const schedule::TimedAction& action, bool start) {
  for (const auto& link : action.links) {
    const bool routed = targets_.routes.has_parent(link);
    const std::pair<const char*, impair::Direction> sides[] = {
        {kPartitionUp, impair::Direction::upstream},
        {kPartitionDown, impair::Direction::downstream}};
    for (const auto& [name, direction] : sides) {
      if (start) {
        targets_.proxy.add_stage(link, partition_stage(name, direction, false));
        if (routed) targets_.routes.set_stage(link, partition_stage(name, direction, true));
        continue;
      }
      targets_.proxy.remove_stage(link, name);
      if (routed) targets_.routes.remove_stage(link, name);
    }
  }
}

void Player::execute(const schedule::TimedAction& action) {
  namespace step = schedule::step;
  try {
    std::visit(overloaded{
                   [&](const step::SetStages& set) { set_stages(action, set); },
                   [&](const step::ClearStages& clear) { clear_stages(action, clear); },
                   [&](const step::PartitionStart&) { partition(action, true); },
                   [&](const step::PartitionEnd&) { partition(action, false); },
                   [&](const step::Drop&) {
                     // The device's links go down: every connection is cut and new ones are
                     // refused, so the device's own retries fail until its redial.
                     for (const auto& device : action.devices) {
                       for (const auto& link : targets_.device_links[device])
                         targets_.proxy.set_enabled(link, false);
                     }
                   },
                   [&](const step::Redial&) {
                     for (const auto& device : action.devices) {
                       for (const auto& link : targets_.device_links[device])
                         targets_.proxy.set_enabled(link, true);
                       targets_.fleet.force_reconnect(device);
                     }
                   },
                   [&](const step::SutRestart&) { targets_.sut.restart(); },
                   [&](const step::Share& share) {
                     admin_call(action, share.camera, share.account, [&] {
                       targets_.admin.share(share.camera, share.account);
                       targets_.fleet.share_granted(share.camera, share.account);
                     });
                   },
                   [&](const step::Revoke& revoke) {
                     admin_call(action, revoke.camera, revoke.account,
                                [&] { targets_.admin.revoke(revoke.camera, revoke.account); });
                   },
                   [&](const step::PhaseStart& phase) { phase_ = phase.name; },
               },
               action.step);
    record(action,
           action.note.empty() ? std::string(schedule::kind_name(action.step)) : action.note);
  } catch (const std::exception& e) {
    // A SUT that does not come back from a restart ends the run; a stage or link the proxy
    // could not change leaves the faults unlike the schedule the oracle judges by.
    if (action.is<step::SutRestart>()) throw;
    errors_.push_back(std::string(schedule::kind_name(action.step)) + " at " +
                      units::format_duration(action.time) + " failed: " + e.what());
  }
}

// A refused share or revoke is the SUT's failure (judged as a check), not the harness's.
void Player::admin_call(const schedule::TimedAction& action, const std::string& camera,
                        const std::string& account, const std::function<void()>& call_sut) {
  AdminCall call{.verb = std::string(schedule::kind_name(action.step)),
                 .camera = camera,
                 .account = account,
                 .time = action.time,
                 .sent_at = clock_.now()};
  try {
    call_sut();
    call.accepted = true;
  } catch (const std::exception& e) {
    call.error = e.what();
  }
  call.done_at = clock_.now();
  admin_calls_.push_back(std::move(call));
}

}  // namespace camleak::runner
