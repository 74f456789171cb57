// The `fleet` section, expanded into explicit accounts, cameras and hubs.
#include <algorithm>
#include <charconv>
#include <set>

#include "harness/scenario/sections.hpp"

namespace camleak::scenario::detail {
namespace {

// One rule whichever way the fleet is written (a count, {count, name} or a list): at most
// kMaxAccounts accounts, kMaxPerAccount cameras and hubs each, kMaxDevices devices in all.
constexpr int64_t kMaxAccounts = 10'000;
constexpr int64_t kMaxPerAccount = 10'000;
constexpr size_t kMaxDevices = 100'000;

struct AccountPlan {
  std::string name;
  int64_t cameras = 0;
  int64_t hubs = 0;
};

// Expands "{account}-cam-{i}" style patterns. Returns nullopt when the pattern has a placeholder
// that is not allowed in this context (the caller reports it).
std::optional<std::string> expand(std::string_view pattern, size_t n, size_t i,
                                  std::string_view account, std::string* bad) {
  std::string out;
  for (size_t p = 0; p < pattern.size(); ++p) {
    if (pattern[p] != '{') {
      out += pattern[p];
      continue;
    }
    const size_t close = pattern.find('}', p);
    if (close == std::string_view::npos) {
      *bad = "unclosed `{`";
      return std::nullopt;
    }
    const std::string_view name = pattern.substr(p + 1, close - p - 1);
    if (name == "n")
      out += std::to_string(n);
    else if (name == "i" && !account.empty())
      out += std::to_string(i);
    else if (name == "account" && !account.empty())
      out += account;
    else {
      *bad = "unknown placeholder `{" + std::string(name) + "}` (use " +
             (account.empty() ? std::string("{n}") : std::string("{n}, {i} or {account}")) + ")";
      return std::nullopt;
    }
    p = close;
  }
  return out;
}

bool valid_name(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

struct Templates {
  std::string camera_pattern = "cam-{n}";
  YAML::Node camera_pattern_node;
  std::string hub_pattern = "hub-{n}";
  YAML::Node hub_pattern_node;
  Camera camera;
  Hub hub;
};

void read_camera_template(Context& ctx, const YAML::Node& node, Templates& t) {
  MapReader map(ctx, node, "fleet.camera");
  if (!map.ok()) return;
  Camera& c = t.camera;
  if (auto n = map.get("name")) {
    if (auto s = read_string(ctx, *n, map.path("name"))) {
      t.camera_pattern = *s;
      t.camera_pattern_node = *n;
    }
  }
  if (auto n = map.get("resolution")) {
    if (auto s = read_string(ctx, *n, map.path("resolution"))) {
      unsigned w = 0, h = 0;
      const size_t x = s->find('x');
      bool ok = x != std::string::npos;
      if (ok) {
        auto r1 = std::from_chars(s->data(), s->data() + x, w);
        auto r2 = std::from_chars(s->data() + x + 1, s->data() + s->size(), h);
        ok = r1.ec == std::errc() && r1.ptr == s->data() + x && r2.ec == std::errc() &&
             r2.ptr == s->data() + s->size();
      }
      if (!ok) {
        ctx.error(*n, map.path("resolution"),
                  "expected WIDTHxHEIGHT such as 320x240, got \"" + *s + "\"");
      } else if (w < 64 || h < 64 || w > 3840 || h > 2160 || w % 2 || h % 2) {
        ctx.error(*n, map.path("resolution"),
                  "width and height must be even and between 64x64 and 3840x2160, got " + *s);
      } else {
        c.width = w;
        c.height = h;
      }
    }
  }
  if (auto n = map.get("fps")) {
    if (auto v = read_int(ctx, *n, map.path("fps"), 1, 120)) c.fps = static_cast<uint32_t>(*v);
  }
  if (auto n = map.get("gop")) {
    if (auto v = read_int(ctx, *n, map.path("gop"), 1, 1000)) c.gop = static_cast<uint32_t>(*v);
  }
  if (auto n = map.get("bitrate")) {
    if (auto v = read_rate(ctx, *n, map.path("bitrate"))) {
      if (*v < 8'000 || *v > 100'000'000) {
        ctx.error(*n, map.path("bitrate"), "must be between 8kbps and 100Mbps");
      } else {
        c.bitrate_bps = *v;
      }
    }
  }
  if (auto n = map.get("transport")) {
    if (auto v = read_choice(ctx, *n, map.path("transport"), {"tcp", "udp"})) {
      c.transport = *v == 0 ? MediaTransport::tcp : MediaTransport::udp;
    }
  }
  map.finish();
}

void read_hub_template(Context& ctx, const YAML::Node& node, Templates& t) {
  MapReader map(ctx, node, "fleet.hub");
  if (!map.ok()) return;
  Hub& h = t.hub;
  if (auto n = map.get("name")) {
    if (auto s = read_string(ctx, *n, map.path("name"))) {
      t.hub_pattern = *s;
      t.hub_pattern_node = *n;
    }
  }
  if (auto n = map.get("watch")) {
    if (auto list = read_string_list(ctx, *n, map.path("watch"))) {
      h.watch_own = h.watch_shared = false;
      for (size_t i = 0; i < list->size(); ++i) {
        const YAML::Node item = n->IsSequence() ? (*n)[i] : *n;
        auto v = read_choice(ctx, item, index_path(map.path("watch"), i), {"own", "shared"});
        if (v) (*v == 0 ? h.watch_own : h.watch_shared) = true;
      }
    }
  }
  if (auto n = map.get("transport")) {
    if (auto v = read_choice(ctx, *n, map.path("transport"), {"tcp", "udp"})) {
      h.transport = *v == 0 ? MediaTransport::tcp : MediaTransport::udp;
    }
  }
  if (auto n = map.get("snapshot_interval")) {
    if (auto d = read_duration(ctx, *n, map.path("snapshot_interval"))) h.snapshot_interval = *d;
  }
  if (auto n = map.get("probe")) {
    MapReader probe(ctx, *n, map.path("probe"));
    if (auto i = probe.get("interval")) {
      if (auto d = read_duration(ctx, *i, probe.path("interval"))) h.probe_interval = *d;
    }
    if (auto v = probe.get("via")) {
      if (auto list = read_string_list(ctx, *v, probe.path("via"))) {
        h.probe_live = h.probe_snapshot = false;
        for (size_t i = 0; i < list->size(); ++i) {
          const YAML::Node item = v->IsSequence() ? (*v)[i] : *v;
          auto c = read_choice(ctx, item, index_path(probe.path("via"), i), {"live", "snapshot"});
          if (c) (*c == 0 ? h.probe_live : h.probe_snapshot) = true;
        }
        if (list->empty()) h.probe_interval = Micros{0};
      }
    }
    probe.finish();
  }
  map.finish();
}

// `accounts: 3`, `accounts: {count: 3, name: "user-{n}"}` or a list of names / maps.
std::vector<AccountPlan> read_accounts(Context& ctx, const YAML::Node& node, int64_t cameras,
                                       int64_t hubs) {
  std::vector<AccountPlan> plans;
  const std::string path = "fleet.accounts";
  auto add_generated = [&](int64_t count, const std::string& pattern, const YAML::Node& at) {
    for (int64_t n = 1; n <= count; ++n) {
      std::string bad;
      auto name = expand(pattern, static_cast<size_t>(n), 0, {}, &bad);
      if (!name) {
        ctx.error(at, path + ".name", bad);
        return;
      }
      plans.push_back(AccountPlan{*name, cameras, hubs});
    }
    if (count > 1 && pattern.find("{n}") == std::string::npos) {
      ctx.error(at, path + ".name",
                "pattern \"" + pattern + "\" needs `{n}` to give " + std::to_string(count) +
                    " accounts different names");
      plans.clear();
    }
  };
  if (node.IsScalar()) {
    if (auto count = read_int(ctx, node, path, 1, kMaxAccounts)) {
      add_generated(*count, "user-{n}", node);
    }
    return plans;
  }
  if (node.IsMap()) {
    MapReader map(ctx, node, path);
    int64_t count = 0;
    std::string pattern = "user-{n}";
    YAML::Node pattern_node = node;
    if (auto n = map.require("count")) {
      if (auto v = read_int(ctx, *n, map.path("count"), 1, kMaxAccounts)) count = *v;
    }
    if (auto n = map.get("name")) {
      if (auto s = read_string(ctx, *n, map.path("name"))) {
        pattern = *s;
        pattern_node = *n;
      }
    }
    map.finish();
    add_generated(count, pattern, pattern_node);
    return plans;
  }
  if (!node.IsSequence() || node.size() == 0) {
    ctx.error(node, path, "expected a count, {count, name} or a non-empty list of account names");
    return plans;
  }
  if (node.size() > static_cast<size_t>(kMaxAccounts)) {
    ctx.error(node, path,
              "lists " + std::to_string(node.size()) + " accounts; at most " +
                  std::to_string(kMaxAccounts) + " are supported");
    return plans;
  }
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = index_path(path, i);
    const YAML::Node item = node[i];
    if (item.IsScalar()) {
      if (auto s = read_name(ctx, item, item_path)) plans.push_back(AccountPlan{*s, cameras, hubs});
      continue;
    }
    MapReader map(ctx, item, item_path);
    if (!map.ok()) continue;
    AccountPlan plan{"", cameras, hubs};
    if (auto n = map.require("name")) {
      if (auto s = read_name(ctx, *n, map.path("name"))) plan.name = *s;
    }
    if (auto n = map.get("cameras")) {
      if (auto v = read_int(ctx, *n, map.path("cameras"), 0, kMaxPerAccount)) plan.cameras = *v;
    }
    if (auto n = map.get("hubs")) {
      if (auto v = read_int(ctx, *n, map.path("hubs"), 0, kMaxPerAccount)) plan.hubs = *v;
    }
    map.finish();
    if (!plan.name.empty()) plans.push_back(plan);
  }
  return plans;
}

}  // namespace

void read_fleet(Context& ctx, const YAML::Node& node, Fleet& fleet) {
  MapReader map(ctx, node, "fleet");
  if (!map.ok()) return;
  int64_t cameras_per_account = 1;
  int64_t hubs_per_account = 1;
  if (auto n = map.get("cameras_per_account")) {
    if (auto v = read_int(ctx, *n, map.path("cameras_per_account"), 0, kMaxPerAccount)) {
      cameras_per_account = *v;
    }
  }
  if (auto n = map.get("hubs_per_account")) {
    if (auto v = read_int(ctx, *n, map.path("hubs_per_account"), 0, kMaxPerAccount)) {
      hubs_per_account = *v;
    }
  }
  Templates t;
  if (auto n = map.get("camera")) read_camera_template(ctx, *n, t);
  if (auto n = map.get("hub")) read_hub_template(ctx, *n, t);
  std::vector<AccountPlan> plans;
  if (auto n = map.require("accounts")) {
    plans = read_accounts(ctx, *n, cameras_per_account, hubs_per_account);
  }
  map.finish();

  // Expand, checking that every name is valid and unique across accounts, cameras and hubs.
  std::set<std::string> taken;
  size_t total = 0;
  for (const auto& p : plans) total += static_cast<size_t>(p.cameras + p.hubs);
  if (total > kMaxDevices) {
    ctx.error(node, "fleet",
              "the fleet has " + std::to_string(total) + " devices; at most " +
                  std::to_string(kMaxDevices) + " are supported");
    return;
  }
  auto claim = [&](const std::string& name, const YAML::Node& at, const std::string& path,
                   std::string_view what) {
    if (!valid_name(name)) {
      ctx.error(at, path,
                std::string(what) + " name \"" + name +
                    "\" is not valid (letters, digits, `-`, `_` and `.` only)");
      return false;
    }
    if (!taken.insert(name).second) {
      ctx.error(at, path, "name \"" + name + "\" is used twice in the fleet");
      return false;
    }
    return true;
  };
  const YAML::Node accounts_node = map.node()["accounts"];
  bool accounts_ok = !plans.empty();
  for (const auto& p : plans) {
    if (!claim(p.name, accounts_node, "fleet.accounts", "account")) {
      accounts_ok = false;
      continue;
    }
    fleet.accounts.push_back(Account{.name = p.name});
  }
  if (!accounts_ok) return;  // device names derived from broken accounts would only add noise

  const YAML::Node cam_at = t.camera_pattern_node.IsDefined() ? t.camera_pattern_node : node;
  const YAML::Node hub_at = t.hub_pattern_node.IsDefined() ? t.hub_pattern_node : node;
  size_t camera_n = 0, hub_n = 0;
  for (size_t a = 0; a < fleet.accounts.size(); ++a) {
    Account& account = fleet.accounts[a];
    for (int64_t i = 1; i <= plans[a].cameras; ++i) {
      std::string bad;
      auto name = expand(t.camera_pattern, ++camera_n, static_cast<size_t>(i), account.name, &bad);
      if (!name) {
        ctx.error(cam_at, "fleet.camera.name", bad);
        return;
      }
      if (!claim(*name, cam_at, "fleet.camera.name", "camera")) return;
      Camera c = t.camera;
      c.name = *name;
      c.owner = account.name;
      c.code = static_cast<uint32_t>(camera_n);
      account.cameras.push_back(c.name);
      fleet.cameras.push_back(std::move(c));
    }
  }
  for (size_t a = 0; a < fleet.accounts.size(); ++a) {
    Account& account = fleet.accounts[a];
    for (int64_t i = 1; i <= plans[a].hubs; ++i) {
      std::string bad;
      auto name = expand(t.hub_pattern, ++hub_n, static_cast<size_t>(i), account.name, &bad);
      if (!name) {
        ctx.error(hub_at, "fleet.hub.name", bad);
        return;
      }
      if (!claim(*name, hub_at, "fleet.hub.name", "hub")) return;
      Hub h = t.hub;
      h.name = *name;
      h.account = account.name;
      h.own_cameras = account.cameras;
      account.hubs.push_back(h.name);
      fleet.hubs.push_back(std::move(h));
    }
  }
  if (fleet.cameras.empty()) ctx.error(node, "fleet", "the fleet has no cameras");
}

}  // namespace camleak::scenario::detail
