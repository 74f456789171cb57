// The `sut` section: the reference relay with its switches, or an external relay by URL.
#include <algorithm>
#include <filesystem>
#include <tuple>

#include "harness/core/host_port.hpp"
#include "harness/scenario/sections.hpp"

namespace camleak::scenario::detail {
namespace {

const std::vector<std::string> kKinds{"builtin", "external"};
const std::vector<std::string_view> kBuiltinKeys{"defects", "snapshot_cache_ttl",
                                                 "revoke_enforcement_interval", "session_timeout"};
const std::vector<std::string_view> kExternalKeys{"rtsp_url", "http_url", "admin_url", "start",
                                                  "ready",    "restart",  "stop"};

// A URL with the expected scheme and a host[:port] after it (credentials allowed before '@').
std::optional<std::string> read_url(Context& ctx, const YAML::Node& node, const std::string& path,
                                    std::string_view scheme, bool secure_too = false) {
  auto s = read_string(ctx, node, path);
  if (!s) return s;
  std::string prefix = std::string(scheme) + "://";
  if (secure_too && s->rfind(std::string(scheme) + "s://", 0) == 0)
    prefix = std::string(scheme) + "s://";
  if (s->rfind(prefix, 0) != 0 || s->size() == prefix.size()) {
    ctx.error(node, path,
              "expected a URL starting with " + prefix +
                  (secure_too ? " or " + std::string(scheme) + "s://" : std::string()) +
                  ", got \"" + *s + "\"");
    return std::nullopt;
  }
  std::string_view authority = std::string_view(*s).substr(prefix.size());
  authority = authority.substr(0, authority.find('/'));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  const AuthorityParse parsed = parse_authority(authority);
  const std::string why = !parsed.authority                ? parsed.error
                          : parsed.authority->host.empty() ? std::string("no host")
                          : parsed.authority->port == 0    ? std::string("port 0 cannot be dialled")
                                                           : std::string();
  if (!why.empty()) {
    ctx.error(node, path, why + " in \"" + *s + "\"");
    return std::nullopt;
  }
  return s;
}

void read_builtin(Context& ctx, MapReader& map, BuiltinSut& b) {
  if (auto n = map.get("defects")) {
    if (auto list = read_string_list(ctx, *n, map.path("defects"))) {
      for (size_t i = 0; i < list->size(); ++i) {
        const YAML::Node item = n->IsSequence() ? (*n)[i] : *n;
        const std::string path = index_path(map.path("defects"), i);
        auto idx = read_choice(ctx, item, path, defect_names());
        if (!idx) continue;
        const Defect d = kAllDefects[*idx];
        if (std::find(b.defects.begin(), b.defects.end(), d) != b.defects.end()) {
          ctx.error(item, path, "defect \"" + (*list)[i] + "\" is listed twice");
          continue;
        }
        b.defects.push_back(d);
      }
    }
  }
  if (auto n = map.get("snapshot_cache_ttl")) {
    if (auto d = read_duration(ctx, *n, map.path("snapshot_cache_ttl"))) b.snapshot_cache_ttl = *d;
  }
  if (auto n = map.get("revoke_enforcement_interval")) {
    if (auto d = read_positive_duration(ctx, *n, map.path("revoke_enforcement_interval"))) {
      b.revoke_enforcement_interval = *d;
    }
  }
  if (auto n = map.get("session_timeout")) {
    if (auto d = read_positive_duration(ctx, *n, map.path("session_timeout"))) {
      b.session_timeout = *d;
    }
  }
}

// With an adapter the URLs are optional: its own templates may name every address, and a
// placeholder of a URL not given is reported when the run starts.
void read_external(Context& ctx, MapReader& map, ExternalSut& e, bool has_adapter) {
  for (auto [key, scheme, field] :
       {std::tuple{"rtsp_url", "rtsp", &e.rtsp_url}, std::tuple{"http_url", "http", &e.http_url},
        std::tuple{"admin_url", "http", &e.admin_url}}) {
    const auto n = has_adapter ? map.get(key) : map.require(key);
    if (!n) continue;
    if (auto s = read_url(ctx, *n, map.path(key), scheme, /*secure_too=*/true)) *field = *s;
  }
  for (auto [key, field] : {std::pair{"start", &e.start}, std::pair{"restart", &e.restart},
                            std::pair{"stop", &e.stop}}) {
    if (auto n = map.get(key)) {
      if (auto s = read_string(ctx, *n, map.path(key))) {
        if (s->empty())
          ctx.error(*n, map.path(key), "command must not be empty");
        else
          *field = *s;
      }
    }
  }
  if (auto n = map.get("ready")) {
    MapReader ready(ctx, *n, map.path("ready"));
    ReadinessProbe probe;
    if (auto u = ready.require("url")) {
      if (auto s = read_url(ctx, *u, ready.path("url"), "http")) probe.url = *s;
    }
    if (auto t = ready.get("timeout")) {
      if (auto d = read_positive_duration(ctx, *t, ready.path("timeout"))) probe.timeout = *d;
    }
    ready.finish();
    e.ready = probe;
  }
}

// `adapter: contract` or a file, relative to the scenario's directory; its own problems are
// reported at their place in the adapter file.
void read_adapter(Context& ctx, const YAML::Node& node, const std::string& path, Adapter& out) {
  const auto name = read_string(ctx, node, path);
  if (!name) return;
  if (name->empty()) {
    ctx.error(node, path, "name an adapter file, or `contract`");
    return;
  }
  try {
    out = resolve_adapter(*name, std::filesystem::path(ctx.file()).parent_path().string());
  } catch (const InputError& e) {
    for (const auto& d : e.diagnostics()) {
      if (d.line == 0)  // the file itself is the problem: say so where the scenario names it
        ctx.error(node, path, d.file + ": " + d.message);
      else
        ctx.add(d);
    }
  }
}

// Every address the adapter's templates use must be one the external SUT was given, so a
// scenario that cannot run fails `camleak validate`, not its first run.
void check_addresses(Context& ctx, const YAML::Node& node, const Sut& sut) {
  const auto& e = sut.external;
  const std::pair<std::string, const std::string*> needs[] = {
      {"rtsp_port", &e.rtsp_url}, {"rtsp_base", &e.rtsp_url},   {"http_port", &e.http_url},
      {"http_base", &e.http_url}, {"admin_port", &e.admin_url}, {"admin_base", &e.admin_url}};
  const auto used = sut_placeholders_used(sut.adapter);
  for (const auto& [name, url] : needs) {
    if (!used.contains(name) || !url->empty()) continue;
    const std::string key = name.substr(0, name.find('_')) + "_url";
    ctx.error(
        node, "sut." + key,
        "the adapter `" + sut.adapter.name + "` uses {" + name + "}, so the SUT needs " + key);
  }
  if (used.contains("host") && e.rtsp_url.empty() && e.http_url.empty())
    ctx.error(node, "sut",
              "the adapter `" + sut.adapter.name +
                  "` uses {host}, so the SUT needs rtsp_url or http_url");
}

// Keys that belong to the other kind get a message that says so, not "unknown key".
void reject_other_kind(Context& ctx, MapReader& map, const std::vector<std::string_view>& keys,
                       std::string_view other, std::string_view mine) {
  for (auto key : keys) {
    if (!map.has(key)) continue;
    map.known({key});
    ctx.error(
        map.key_mark(key), map.path(key),
        "applies to " + std::string(other) + " SUTs only (this SUT is " + std::string(mine) + ")");
  }
}

}  // namespace

void read_sut(Context& ctx, const YAML::Node& node, Sut& sut) {
  if (node.IsScalar()) {  // `sut: builtin` shorthand
    if (auto k = read_choice(ctx, node, "sut", kKinds)) {
      if (*k == 1)
        ctx.error(node, "sut",
                  "an external SUT needs its URLs: write `kind: external` "
                  "with rtsp_url, http_url and admin_url");
      sut.kind = Sut::Kind::builtin;
    }
    return;
  }
  MapReader map(ctx, node, "sut");
  if (!map.ok()) return;
  if (auto n = map.get("kind")) {
    if (auto k = read_choice(ctx, *n, map.path("kind"), kKinds)) {
      sut.kind = *k == 0 ? Sut::Kind::builtin : Sut::Kind::external;
    }
  }
  if (auto n = map.get("adapter")) read_adapter(ctx, *n, map.path("adapter"), sut.adapter);
  if (sut.kind == Sut::Kind::builtin) {
    read_builtin(ctx, map, sut.builtin);
    reject_other_kind(ctx, map, kExternalKeys, "external", "builtin");
  } else {
    read_external(ctx, map, sut.external, map.has("adapter"));
    reject_other_kind(ctx, map, kBuiltinKeys, "builtin", "external");
    // Without an adapter the URLs are required, and their absence already reported.
    if (map.has("adapter")) check_addresses(ctx, node, sut);
  }
  map.finish();
}

}  // namespace camleak::scenario::detail
