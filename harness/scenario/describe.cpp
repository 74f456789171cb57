#include "harness/scenario/describe.hpp"

#include <cstdio>
#include <map>

#include "harness/core/units.hpp"

namespace camleak::scenario {
namespace {

std::string stages_text(const std::vector<impair::StageSpec>& stages) {
  if (stages.empty()) return "(clean)";
  std::string out;
  for (const auto& s : stages) {
    if (!out.empty()) out += " ";
    out += s.name + "{" + s.type;
    for (const auto& [name, value] : s.attributes)
      out += " " + name + "=" + impair::attribute_text(value);
    out += "}";
  }
  return out;
}

std::string percent(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g%%", f * 100);
  return buf;
}

std::string limits_text(const PhaseLimits& l) {
  std::string out = "freshness " + units::format_duration(l.freshness);
  if (l.max_stall) out += ", max stall " + units::format_duration(*l.max_stall);
  if (l.max_recovery) out += ", max recovery " + units::format_duration(*l.max_recovery);
  if (l.min_delivered_ratio) out += ", min delivered " + percent(*l.min_delivered_ratio);
  out += l.probes_refused ? ", probes must be refused" : ", probes not judged";
  return out;
}

}  // namespace

std::string describe(const Scenario& s) {
  std::string out;
  out += "scenario " + s.name + "\n";
  if (!s.description.empty()) out += "  " + s.description + "\n";
  out += "duration " + units::format_duration(s.duration) + "\n";
  if (s.sut.kind == Sut::Kind::builtin) {
    std::string defects;
    for (auto d : s.sut.builtin.defects)
      defects += (defects.empty() ? "" : ", ") + std::string(defect_name(d));
    out += "sut builtin: defects [" + defects + "], snapshot cache ttl " +
           units::format_duration(s.sut.builtin.snapshot_cache_ttl) +
           ", revoke enforcement every " +
           units::format_duration(s.sut.builtin.revoke_enforcement_interval) +
           ", session timeout " + units::format_duration(s.sut.builtin.session_timeout) + "\n";
  } else {
    const auto& e = s.sut.external;
    out += "sut external: rtsp " + e.rtsp_url + ", http " + e.http_url + ", admin " + e.admin_url +
           (e.restart.empty() ? ", no restart command" : ", restart: " + e.restart) + "\n";
  }
  out += "adapter " + s.sut.adapter.name +
         (s.sut.adapter.file.empty() ? " (compiled in)" : " (" + s.sut.adapter.file + ")") + "\n";
  out += "fleet: " + std::to_string(s.fleet.accounts.size()) + " accounts, " +
         std::to_string(s.fleet.cameras.size()) + " cameras, " +
         std::to_string(s.fleet.hubs.size()) + " hubs\n";
  for (const auto& a : s.fleet.accounts) {
    out += "  " + a.name + ":";
    for (const auto& c : a.cameras) {
      const Camera* cam = s.fleet.camera(c);
      out += " " + c + "#" + std::to_string(cam->code);
    }
    for (const auto& h : a.hubs) out += " " + h;
    out += "\n";
  }
  if (!s.fleet.cameras.empty()) {
    const Camera& c = s.fleet.cameras.front();
    out += "  cameras: " + std::to_string(c.width) + "x" + std::to_string(c.height) + " " +
           std::to_string(c.fps) + "fps gop " + std::to_string(c.gop) + " " +
           units::format_rate_bps(c.bitrate_bps) + " over " + std::string(to_string(c.transport)) +
           "\n";
  }
  if (!s.fleet.hubs.empty()) {
    const Hub& h = s.fleet.hubs.front();
    std::string watch = h.watch_own ? "own" : "";
    if (h.watch_shared) watch += watch.empty() ? "shared" : "+shared";
    out += "  hubs: watch " + (watch.empty() ? std::string("nothing") : watch) + ", snapshot " +
           (h.snapshot_interval.count() ? "every " + units::format_duration(h.snapshot_interval)
                                        : std::string("off")) +
           ", probes " +
           (h.probe_interval.count() ? "every " + units::format_duration(h.probe_interval)
                                     : std::string("off")) +
           "\n";
  }
  out += "shares:" + std::string(s.shares.empty() ? " none" : "") + "\n";
  for (const auto& sh : s.shares) {
    out += "  " + sh.camera + " with " + sh.account + " from " + units::format_duration(sh.from) +
           (sh.until ? " until " + units::format_duration(*sh.until) : std::string()) + "\n";
  }
  // Links with identical chains are listed together so a big fleet stays readable.
  out += "links:\n";
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // chain -> links
  std::map<std::string, size_t> index;
  for (const auto& l : s.links) {
    const std::string key = std::string(to_string(l.role)) +
                            (l.profile.empty() ? "" : " profile " + l.profile) + ": " +
                            stages_text(l.stages);
    auto [it, inserted] = index.emplace(key, groups.size());
    if (inserted) groups.push_back({key, {}});
    groups[it->second].second.push_back(l.name);
  }
  for (const auto& [key, names] : groups) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ",") + n;
    out += "  " + key + "\n    " + list + "\n";
  }
  out += "checks: leaks 0\n";
  for (const auto& p : s.phases) {
    out += "  phase " + p.name + " [" + units::format_duration(p.start) + ", " +
           units::format_duration(p.end) + "): " + limits_text(p.limits) + "\n";
  }
  return out;
}

}  // namespace camleak::scenario
