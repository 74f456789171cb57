// The `shares` section: camera X visible to account Y from `from` until `until`.
#include "harness/core/suggest.hpp"
#include "harness/scenario/sections.hpp"

namespace camleak::scenario::detail {
namespace {

std::vector<std::string> names_of(const std::vector<Camera>& v) {
  std::vector<std::string> out;
  for (const auto& c : v) out.push_back(c.name);
  return out;
}

std::vector<std::string> names_of(const std::vector<Account>& v) {
  std::vector<std::string> out;
  for (const auto& a : v) out.push_back(a.name);
  return out;
}

}  // namespace

// Shared with the timeline's share/revoke actions.
bool check_share_names(Context& ctx, const Fleet& fleet, const std::string& camera,
                       const YAML::Node& camera_node, const std::string& camera_path,
                       const std::string& account, const YAML::Node& account_node,
                       const std::string& account_path) {
  if (!ctx.names_checkable) return true;
  bool ok = true;
  const Camera* c = fleet.camera(camera);
  if (c == nullptr) {
    ctx.error(camera_node, camera_path,
              "unknown camera \"" + camera + "\"" + did_you_mean(camera, names_of(fleet.cameras)));
    ok = false;
  }
  if (fleet.account(account) == nullptr) {
    ctx.error(
        account_node, account_path,
        "unknown account \"" + account + "\"" + did_you_mean(account, names_of(fleet.accounts)));
    ok = false;
  } else if (c != nullptr && c->owner == account) {
    ctx.error(account_node, account_path,
              "camera \"" + camera + "\" already belongs to account \"" + account + "\"");
    ok = false;
  }
  return ok;
}

void read_shares(Context& ctx, const YAML::Node& node, const Fleet& fleet,
                 std::vector<SectionShare>& shares) {
  if (node.IsNull()) return;
  if (!node.IsSequence()) {
    ctx.error(node, "shares", "expected a list of {camera, with, from, until}");
    return;
  }
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string path = index_path("shares", i);
    MapReader map(ctx, node[i], path);
    if (!map.ok()) continue;
    Share share;
    share.source = path;
    bool ok = true;
    auto camera = map.require("camera");
    auto with = map.require("with");
    if (camera) {
      if (auto s = read_string(ctx, *camera, map.path("camera")))
        share.camera = *s;
      else
        ok = false;
    } else {
      ok = false;
    }
    if (with) {
      if (auto s = read_string(ctx, *with, map.path("with")))
        share.account = *s;
      else
        ok = false;
    } else {
      ok = false;
    }
    if (auto n = map.get("from")) {
      if (auto d = read_duration(ctx, *n, map.path("from")))
        share.from = *d;
      else
        ok = false;
    }
    if (auto n = map.get("until")) {
      if (auto d = read_duration(ctx, *n, map.path("until"))) {
        if (*d <= share.from) {
          ctx.error(*n, map.path("until"), "must be later than `from`");
          ok = false;
        }
        share.until = *d;
      } else {
        ok = false;
      }
    }
    map.finish();
    if (ok && check_share_names(ctx, fleet, share.camera, *camera, map.path("camera"),
                                share.account, *with, map.path("with"))) {
      shares.push_back(SectionShare{share, node[i]});
    }
  }
}

}  // namespace camleak::scenario::detail
