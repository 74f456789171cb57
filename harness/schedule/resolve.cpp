// Scenario + seed -> concrete, sorted actions.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "harness/core/overloaded.hpp"
#include "harness/core/rng.hpp"
#include "harness/core/units.hpp"
#include "harness/scenario/selector.hpp"
#include "harness/schedule/timeline.hpp"

namespace camleak::schedule {

using scenario::DeviceKind;
using scenario::LinkRole;

std::vector<std::string> choose_fraction(const std::vector<std::string>& candidates,
                                         double fraction, uint64_t seed) {
  const size_t n = candidates.size();
  if (n == 0 || fraction <= 0) return {};
  if (fraction >= 1) return candidates;
  const auto k = std::clamp<size_t>(static_cast<size_t>(std::llround(fraction * n)), 1, n);
  // Partial Fisher-Yates over indices, then back to the candidates' order.
  std::vector<size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  Rng rng(seed);
  for (size_t i = 0; i < k; ++i) std::swap(idx[i], idx[i + rng.below(n - i)]);
  idx.resize(k);
  std::sort(idx.begin(), idx.end());
  std::vector<std::string> out;
  out.reserve(k);
  for (size_t i : idx) out.push_back(candidates[i]);
  return out;
}

namespace {

// Rounded to whole milliseconds: seeded times stay readable and no coarser than any clock the
// run loop schedules with.
Micros to_ms(double micros) {
  return Micros{static_cast<int64_t>(std::llround(micros / 1000.0)) * 1000};
}

}  // namespace

std::vector<StormMember> resolve_storm(const scenario::StormAction& storm,
                                       const std::vector<std::string>& members, Micros at,
                                       uint64_t seed, const std::string& id) {
  std::vector<StormMember> out;
  for (const auto& device : members) {
    StormMember m{device, at, at + storm.down, 0};
    if (storm.mode == scenario::StormAction::Mode::spread) {
      Rng rng(Rng::derive(seed, id + "/member/" + device));
      m.drop = at + to_ms(rng.uniform() * static_cast<double>(storm.window.count()));
      // Jittered exponential backoff from the drop; the first attempt at or after the outage
      // (drop + down) succeeds.
      const Micros ready = m.drop + storm.down;
      Micros t = m.drop;
      double delay = static_cast<double>(storm.backoff_initial.count());
      const auto cap = static_cast<double>(storm.backoff_max.count());
      for (;;) {
        const double factor = 1.0 - storm.backoff_jitter * rng.uniform();
        t += std::max(Micros{1000}, to_ms(std::min(delay, cap) * factor));
        if (t >= ready) break;
        ++m.attempts;
        delay *= storm.backoff_multiplier;
      }
      m.redial = t;
    }
    out.push_back(std::move(m));
  }
  return out;
}

namespace {

struct Resolver {
  const scenario::Scenario& s;
  uint64_t seed;
  std::vector<TimedAction> actions;
  // Link transports by name, built once (fleets have thousands of links).
  std::unordered_map<std::string_view, impair::Transport> transports = [this] {
    std::unordered_map<std::string_view, impair::Transport> m;
    for (const auto& l : s.links) m.emplace(l.name, l.transport);
    return m;
  }();

  // Devices a selector picks, fraction applied with the entry's own stream.
  std::vector<std::string> select(const scenario::Selector& sel, DeviceKind kind,
                                  const std::string& id) const {
    auto devices = scenario::match_devices(sel, kind, s.fleet);
    if (sel.fraction)
      devices = choose_fraction(devices, *sel.fraction, Rng::derive(seed, id + "/select"));
    return devices;
  }

  std::vector<std::string> device_links(const std::string& device, DeviceKind kind) const {
    if (kind == DeviceKind::cameras) return {scenario::link_name(LinkRole::uplink, device)};
    return {scenario::link_name(LinkRole::live, device),
            scenario::link_name(LinkRole::snapshot, device)};
  }

  // Splits the role's links of `devices` by the transport they carry.
  // The devices a link action's target selects, and their links.
  std::vector<std::string> devices_of(const scenario::LinkTarget& t, const std::string& id) const {
    return select(t.select, scenario::device_kind(t.role), id);
  }
  std::vector<std::string> links_of(LinkRole role, const std::vector<std::string>& devices) const {
    std::vector<std::string> links;
    for (const auto& d : devices) links.push_back(scenario::link_name(role, d));
    return links;
  }

  struct Groups {
    std::vector<std::string> stream_links, stream_devices, datagram_links, datagram_devices;
  };
  Groups group(LinkRole role, const std::vector<std::string>& devices) const {
    Groups g;
    for (const auto& d : devices) {
      const std::string name = scenario::link_name(role, d);
      auto it = transports.find(name);
      if (it != transports.end() && it->second == impair::Transport::datagram) {
        g.datagram_links.push_back(name);
        g.datagram_devices.push_back(d);
      } else {
        g.stream_links.push_back(name);
        g.stream_devices.push_back(d);
      }
    }
    return g;
  }

  static TimedAction make(Micros time, Step step, const std::string& source) {
    return TimedAction{.time = time, .step = std::move(step), .source = source};
  }

  void set(const scenario::TimelineEntry& e, const scenario::SetAction& a) {
    const auto g = group(a.role, devices_of(a, e.id));
    for (const auto transport : {impair::Transport::stream, impair::Transport::datagram}) {
      const bool stream = transport == impair::Transport::stream;
      const auto& links = stream ? g.stream_links : g.datagram_links;
      const auto& devices = stream ? g.stream_devices : g.datagram_devices;
      const auto& stages = a.stages(transport);
      if (links.empty() || stages.empty()) continue;
      TimedAction set = make(e.at, step::SetStages{stages}, e.id);
      set.links = links;
      set.devices = devices;
      if (a.duration) set.note = "for " + units::format_duration(*a.duration);
      actions.push_back(set);
      if (a.duration) {
        step::ClearStages names;
        for (const auto& st : stages) names.names.push_back(st.name);
        TimedAction clear = make(e.at + *a.duration, std::move(names), e.id);
        clear.links = links;
        clear.devices = devices;
        clear.note = "end of set";
        actions.push_back(std::move(clear));
      }
    }
  }

  void clear(const scenario::TimelineEntry& e, const scenario::ClearAction& a) {
    const auto devices = devices_of(a, e.id);
    TimedAction c = make(e.at, step::ClearStages{a.names}, e.id);
    c.links = links_of(a.role, devices);
    c.devices = devices;
    actions.push_back(std::move(c));
  }

  void ramp(const scenario::TimelineEntry& e, const scenario::RampAction& a) {
    const auto devices = devices_of(a, e.id);
    const bool stream_type = a.transport == impair::Transport::stream;
    // A stream (TCP) stage acts on every link; a datagram one only where UDP media flows.
    const auto g = group(a.role, devices);
    std::vector<std::string> links = g.datagram_links, targets = g.datagram_devices;
    if (stream_type) {
      links = links_of(a.role, devices);
      targets = devices;
    }
    if (links.empty()) return;
    const int64_t over = a.over.count();
    const int64_t every = a.every.count();
    const int64_t steps = (over + every - 1) / every;  // the last step lands on at + over
    for (int64_t k = 0; k <= steps; ++k) {
      const int64_t offset = std::min(k * every, over);
      const double value =
          a.from + (a.to - a.from) * static_cast<double>(offset) / static_cast<double>(over);
      impair::StageSpec spec = a.stage;
      if (a.integer)
        spec.attributes[a.attribute] = static_cast<int64_t>(std::llround(value));
      else
        spec.attributes[a.attribute] = value;
      TimedAction set = make(e.at + Micros{offset}, step::SetStages{{std::move(spec)}}, e.id);
      set.links = links;
      set.devices = targets;
      set.note = "step " + std::to_string(k) + "/" + std::to_string(steps);
      actions.push_back(std::move(set));
    }
  }

  void partition(const scenario::TimelineEntry& e, const scenario::PartitionAction& a) {
    const auto devices = devices_of(a, e.id);
    TimedAction start = make(e.at, step::PartitionStart{}, e.id);
    start.links = links_of(a.role, devices);
    start.devices = devices;
    TimedAction end = start;
    end.time = e.at + a.duration;
    end.step = step::PartitionEnd{};
    actions.push_back(std::move(start));
    actions.push_back(std::move(end));
  }

  void storm(const scenario::TimelineEntry& e, const scenario::StormAction& a) {
    const auto members = select(a.select, a.devices, e.id);
    for (const auto& m : resolve_storm(a, members, e.at, seed, e.id)) {
      TimedAction drop = make(m.drop, step::Drop{}, e.id);
      drop.devices = {m.device};
      drop.links = device_links(m.device, a.devices);
      TimedAction redial = drop;
      redial.time = m.redial;
      redial.step = step::Redial{m.attempts};
      if (m.attempts > 0) redial.note = "after " + std::to_string(m.attempts) + " failed attempts";
      actions.push_back(std::move(drop));
      actions.push_back(std::move(redial));
    }
  }
};

}  // namespace

Timeline resolve(const scenario::Scenario& s, uint64_t seed) {
  Resolver r{s, seed, {}};
  // Phases first, so that at equal times a phase starts before what happens in it.
  for (const auto& p : s.phases) {
    std::string source = "baseline";
    for (const auto& e : s.timeline) {
      const auto* m = std::get_if<scenario::PhaseMarker>(&e.body);
      if (m != nullptr && m->name == p.name) source = e.id;
    }
    r.actions.push_back(Resolver::make(p.start, step::PhaseStart{p.name}, source));
  }
  for (const auto& sh : s.shares) {
    r.actions.push_back(Resolver::make(sh.from, step::Share{sh.camera, sh.account}, sh.source));
    if (sh.until)
      r.actions.push_back(
          Resolver::make(*sh.until, step::Revoke{sh.camera, sh.account}, sh.source));
  }
  for (const auto& e : s.timeline) {
    std::visit(overloaded{
                   [&](const scenario::SetAction& body) { r.set(e, body); },
                   [&](const scenario::ClearAction& body) { r.clear(e, body); },
                   [&](const scenario::RampAction& body) { r.ramp(e, body); },
                   [&](const scenario::PartitionAction& body) { r.partition(e, body); },
                   [&](const scenario::StormAction& body) { r.storm(e, body); },
                   [&](const scenario::SutRestartAction&) {
                     r.actions.push_back(Resolver::make(e.at, step::SutRestart{}, e.id));
                   },
                   // In s.shares (merged with the `shares` section), resolved above.
                   [](const scenario::ShareAction&) {},
                   [](const scenario::RevokeAction&) {},
                   // Phases come from s.phases, resolved above.
                   [](const scenario::PhaseMarker&) {},
               },
               e.body);
  }
  std::stable_sort(r.actions.begin(), r.actions.end(),
                   [](const TimedAction& a, const TimedAction& b) { return a.time < b.time; });
  return Timeline{seed, s.duration, std::move(r.actions)};
}

}  // namespace camleak::schedule
