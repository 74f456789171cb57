// The `links` section: a block per role (uplink, live, snapshot) plus overrides for groups of
// devices, expanded into one Link per device and role.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "harness/scenario/sections.hpp"
#include "harness/scenario/selector.hpp"

namespace camleak::scenario::detail {
namespace {

constexpr LinkRole kRoles[] = {LinkRole::uplink, LinkRole::live, LinkRole::snapshot};

struct Override {
  Selector select;
  std::optional<LinkBlock> blocks[3];  // by role
};

impair::Transport to_impair(MediaTransport t) {
  return t == MediaTransport::udp ? impair::Transport::datagram : impair::Transport::stream;
}

// A datagram-only stage on a role whose devices all speak TCP would never act: say so.
void check_stage_transports(Context& ctx, const LinkBlock& block, LinkRole role,
                            const std::vector<impair::Transport>& transports,
                            const impair::Registry& registry, const YAML::Node& at,
                            const std::string& path) {
  const bool any_datagram = std::find(transports.begin(), transports.end(),
                                      impair::Transport::datagram) != transports.end();
  // Loss written as a knob (or by the profile the block overrides) is skipped on TCP links;
  // written explicitly where no link could take it, it is a mistake worth pointing out.
  const bool explicit_loss = block.own_loss;
  if (explicit_loss && !any_datagram) {
    ctx.error(at, path,
              "`loss` applies to UDP links only, and every " + std::string(to_string(role)) +
                  " link here carries TCP (TCP turns loss into retransmission delay: use "
                  "`latency` and `jitter`, or `transport: udp`)");
  }
  for (const auto& spec : block.stages) {
    if (registry.is_datagram(spec.type) && !any_datagram) {
      ctx.error(at, path,
                "stage `" + spec.name + "` (" + spec.type + ") acts on UDP flows, but every " +
                    std::string(to_string(role)) +
                    " link here carries TCP"
                    " (set `transport: udp` on the " +
                    (role == LinkRole::uplink ? "cameras" : "hubs") + " to use it)");
    }
  }
}

}  // namespace

std::vector<impair::Transport> role_transports(LinkRole role, const Fleet& fleet,
                                               const std::vector<std::string>& devices) {
  if (role == LinkRole::snapshot) {  // snapshots are HTTP
    return std::vector<impair::Transport>(devices.size(), impair::Transport::stream);
  }
  // One pass over the fleet, not one lookup per device: fleets have thousands of devices.
  std::unordered_map<std::string_view, MediaTransport> by_name;
  if (role == LinkRole::uplink) {
    for (const auto& c : fleet.cameras) by_name.emplace(c.name, c.transport);
  } else {
    for (const auto& h : fleet.hubs) by_name.emplace(h.name, h.transport);
  }
  std::vector<impair::Transport> out;
  out.reserve(devices.size());
  for (const auto& d : devices) {
    auto it = by_name.find(d);
    if (it != by_name.end()) out.push_back(to_impair(it->second));
  }
  return out;
}

void read_links(Context& ctx, const YAML::Node& node, const Fleet& fleet,
                const impair::Registry& registry, std::vector<Link>& links) {
  MapReader map(ctx, node, "links");
  if (!map.ok()) return;
  LinkBlock defaults[3];
  YAML::Node default_nodes[3];
  for (auto role : kRoles) {
    const auto r = static_cast<size_t>(role);
    if (auto n = map.get(to_string(role))) {
      MapReader block(ctx, *n, map.path(to_string(role)));
      if (!block.ok()) continue;
      defaults[r] = read_link_block(ctx, block, role, registry);
      default_nodes[r] = *n;
      block.finish();
    }
  }
  std::vector<Override> overrides;
  std::vector<YAML::Node> override_nodes;
  if (auto n = map.get("overrides")) {
    if (!n->IsSequence()) {
      ctx.error(*n, map.path("overrides"), "expected a list of {select, uplink, live, snapshot}");
    } else {
      for (size_t i = 0; i < n->size(); ++i) {
        const std::string path = index_path(map.path("overrides"), i);
        MapReader item(ctx, (*n)[i], path);
        if (!item.ok()) continue;
        Override o;
        auto select_node = item.require("select");
        bool ok = select_node.has_value();
        for (auto role : kRoles) {
          auto b = item.get(to_string(role));
          if (!b) continue;
          MapReader block(ctx, *b, item.path(to_string(role)));
          if (!block.ok()) continue;
          o.blocks[static_cast<size_t>(role)] = read_link_block(ctx, block, role, registry);
          block.finish();
          if (select_node) {
            auto s = read_selector(ctx, *select_node, item.path("select"), role_devices(role),
                                   fleet, /*allow_fraction=*/false);
            if (s)
              o.select = *s;
            else
              ok = false;
          }
        }
        if (!o.blocks[0] && !o.blocks[1] && !o.blocks[2]) {
          ctx.error((*n)[i], path, "an override needs at least one of uplink, live, snapshot");
          ok = false;
        }
        item.finish();
        if (ok) {
          overrides.push_back(std::move(o));
          override_nodes.push_back((*n)[i]);
        }
      }
    }
  }
  map.finish();

  // One link per device and role; the last override that selects a device wins.
  for (auto role : kRoles) {
    const auto r = static_cast<size_t>(role);
    const DeviceKind kind = role_devices(role);
    const std::vector<std::string> devices = match_devices(Selector{}, kind, fleet);
    check_stage_transports(ctx, defaults[r], role, role_transports(role, fleet, devices), registry,
                           default_nodes[r], map.path(to_string(role)));
    for (size_t o = 0; o < overrides.size(); ++o) {
      if (!overrides[o].blocks[r]) continue;
      const auto selected = match_devices(overrides[o].select, kind, fleet);
      check_stage_transports(
          ctx, *overrides[o].blocks[r], role, role_transports(role, fleet, selected), registry,
          override_nodes[o],
          index_path(map.path("overrides"), o) + "." + std::string(to_string(role)));
    }
    // Which block each device gets, overrides applied in order (the last one wins).
    std::map<std::string, const LinkBlock*> chosen;
    for (const auto& o : overrides) {
      if (!o.blocks[r]) continue;
      for (const auto& device : match_devices(o.select, kind, fleet))
        chosen[device] = &*o.blocks[r];
    }
    const auto transports = role_transports(role, fleet, devices);
    for (size_t i = 0; i < devices.size(); ++i) {
      const std::string& device = devices[i];
      auto it = chosen.find(device);
      const LinkBlock* block = it != chosen.end() ? it->second : &defaults[r];
      Link link;
      link.role = role;
      link.device = device;
      link.name = link_name(role, device);
      link.transport = transports[i];
      link.account = kind == DeviceKind::cameras ? fleet.cameras[i].owner : fleet.hubs[i].account;
      link.profile = block->profile;
      link.stages = compile_block(*block, link.transport, registry);
      links.push_back(std::move(link));
    }
  }
}

}  // namespace camleak::scenario::detail
