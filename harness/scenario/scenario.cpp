#include "harness/scenario/scenario.hpp"

namespace camleak::scenario {

std::string_view to_string(MediaTransport t) {
  return t == MediaTransport::udp ? "udp" : "tcp";
}

std::string_view to_string(LinkRole r) {
  switch (r) {
    case LinkRole::uplink:
      return "uplink";
    case LinkRole::live:
      return "live";
    case LinkRole::snapshot:
      return "snapshot";
  }
  return "?";
}

std::string link_name(LinkRole role, std::string_view device) {
  return std::string(to_string(role)) + ":" + std::string(device);
}

std::string_view action_kind(const ActionBody& body) {
  struct Visitor {
    std::string_view operator()(const SetAction&) const { return "set"; }
    std::string_view operator()(const ClearAction&) const { return "clear"; }
    std::string_view operator()(const RampAction&) const { return "ramp"; }
    std::string_view operator()(const PartitionAction&) const { return "partition"; }
    std::string_view operator()(const StormAction&) const { return "storm"; }
    std::string_view operator()(const SutRestartAction&) const { return "sut"; }
    std::string_view operator()(const ShareAction&) const { return "share"; }
    std::string_view operator()(const RevokeAction&) const { return "revoke"; }
    std::string_view operator()(const PhaseMarker&) const { return "phase"; }
  };
  return std::visit(Visitor{}, body);
}

const Account* Fleet::account(std::string_view name) const {
  for (const auto& a : accounts) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

const Camera* Fleet::camera(std::string_view name) const {
  for (const auto& c : cameras) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const Hub* Fleet::hub(std::string_view name) const {
  for (const auto& h : hubs) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

const Link* Scenario::link(std::string_view name) const {
  for (const auto& l : links) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

bool Scenario::visible(std::string_view account, std::string_view camera, Micros t) const {
  if (const Camera* c = fleet.camera(camera); c != nullptr && c->owner == account) return true;
  for (const auto& s : shares) {
    if (s.camera == camera && s.account == account && s.contains(t)) return true;
  }
  return false;
}

std::vector<std::string> Scenario::visible_cameras(std::string_view account, Micros t) const {
  std::vector<std::string> out;
  for (const auto& c : fleet.cameras) {
    if (visible(account, c.name, t)) out.push_back(c.name);
  }
  return out;
}

}  // namespace camleak::scenario
