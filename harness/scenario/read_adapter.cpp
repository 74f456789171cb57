// Adapter files (adapter.hpp): every part read with file:line:col errors, every placeholder
// checked against what its part may use, so a typo fails at load time, not as a request to a
// wrong URL halfway through a certification run.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/core/suggest.hpp"
#include "harness/core/yaml_json.hpp"
#include "harness/scenario/adapter_loader.hpp"
#include "harness/scenario/contract_adapter_text.hpp"
#include "harness/scenario/yaml_reader.hpp"

namespace camleak::scenario {
namespace {

using detail::Context;
using detail::MapReader;

const std::vector<std::string> kSchemes{"none", "basic", "digest", "bearer", "query"};
const std::vector<std::string> kMethods{"GET", "PUT", "POST", "PATCH", "DELETE"};
const std::vector<std::string> kLayouts{"contract", "cloud"};

struct Part {
  std::string name;                  // a key of placeholders_of
  std::vector<std::string> allowed;  // every name the part may use, for messages
};

class AdapterReader {
 public:
  AdapterReader(Context& ctx, const Environment& environment)
      : ctx_(ctx), environment_(environment) {}

  Adapter read(const YAML::Node& root) {
    Adapter a;
    a.file = ctx_.file();
    MapReader top(ctx_, root, "");
    if (auto n = top.require("adapter")) {
      if (auto v = detail::read_name(ctx_, *n, "adapter")) a.name = *v;
    }
    top.read_into("description", a.description, detail::read_string);
    if (auto n = top.get("variables")) read_variables(*n, a);
    if (auto n = top.require("provisioning")) read_provisioning(*n, a);
    if (auto n = top.require("publish"))
      a.publish = read_endpoint(*n, "publish", {"rtsp", "rtsps"});
    if (auto n = top.require("play")) a.play = read_endpoint(*n, "play", {"rtsp", "rtsps"});
    if (auto n = top.get("snapshot")) {
      if (is_absent(*n))
        a.snapshot_present = false;
      else
        a.snapshot = read_endpoint(*n, "snapshot", {"http", "https"});
    } else {
      ctx_.error(root, "snapshot",
                 "missing required key (write `snapshot: absent` if the SUT has none)");
    }
    if (auto n = top.get("transports")) read_transports(*n, a);
    if (auto n = top.get("tls")) read_tls(*n, a.tls);
    if (auto n = top.get("reference_relay")) read_builtin(*n, a.builtin_relay);
    top.finish();
    return a;
  }

 private:
  static bool is_absent(const YAML::Node& node) {
    return node.IsScalar() && node.Scalar() == "absent";
  }

  void read_variables(const YAML::Node& node, Adapter& a) {
    MapReader map(ctx_, node, "variables");
    for (const auto& key : map.keys()) {
      const auto value_node = map.get(key);
      const std::string path = map.path(key);
      bool taken = sut_placeholders().contains(key);
      for (const char* part : {"account", "camera", "share", "publish", "stream"})
        taken = taken || placeholders_of(part).contains(key);
      if (taken) {
        ctx_.error(map.key_mark(key), path, "is a placeholder camleak sets itself");
        continue;
      }
      const auto text = detail::read_string(ctx_, *value_node, path);
      if (!text) continue;
      // A variable's value is literal text, or {env:NAME} parts taken from the environment, so
      // a vendor's API key never has to be written into the file.
      try {
        const TextTemplate t(*text);
        bool ok = true;
        for (const auto& name : t.names()) {
          if (name.rfind("env:", 0) != 0 || name.size() == 4) {
            ctx_.error(*value_node, path, "a variable may only use {env:NAME}, not {" + name + "}");
            ok = false;
          } else if (!environment_(name.substr(4))) {
            ctx_.error(*value_node, path,
                       "the environment variable " + name.substr(4) + " is not set");
            ok = false;
          }
        }
        if (!ok) continue;
        a.variables.emplace_back(key, t.expand([&](std::string_view name) {
          return environment_(std::string(name.substr(4)));
        }));
        variables_.push_back(key);
      } catch (const std::invalid_argument& e) {
        ctx_.error(*value_node, path, e.what());
      }
    }
  }

  // A template whose placeholders `part` may use.
  TextTemplate read_template(const YAML::Node& node, const std::string& path, const Part& part) {
    const auto text = detail::read_string(ctx_, node, path);
    if (!text) return {};
    return check_template(node, path, *text, part);
  }

  TextTemplate check_template(const YAML::Node& node, const std::string& path,
                              const std::string& text, const Part& part) {
    try {
      TextTemplate t(text);
      for (const auto& name : t.names()) {
        if (std::find(part.allowed.begin(), part.allowed.end(), name) != part.allowed.end())
          continue;
        std::string list;
        for (const auto& n : part.allowed) list += (list.empty() ? "{" : ", {") + n + "}";
        ctx_.error(node, path,
                   "unknown placeholder {" + name + "}" + did_you_mean(name, part.allowed) + "; " +
                       part.name + " may use " + list);
      }
      return t;
    } catch (const std::invalid_argument& e) {
      ctx_.error(node, path, e.what());
      return {};
    }
  }

  Part part(const std::string& name) const {
    Part p{name, {}};
    for (const auto& n : placeholders_of(name)) p.allowed.push_back(n);
    for (const auto& n : sut_placeholders()) p.allowed.push_back(n);
    p.allowed.insert(p.allowed.end(), variables_.begin(), variables_.end());
    return p;
  }

  void check_scheme(const YAML::Node& node, const std::string& path, const TextTemplate& url,
                    const std::vector<std::string>& schemes) {
    if (url.empty()) return;
    // A URL that starts with the SUT's own base has its scheme checked once it is expanded.
    for (const char* base : {"{rtsp_base}", "{http_base}", "{admin_base}"})
      if (url.text().rfind(base, 0) == 0) return;
    for (const auto& s : schemes)
      if (url.text().rfind(s + "://", 0) == 0 && url.text().size() > s.size() + 3) return;
    std::string list;
    for (const auto& s : schemes) list += (list.empty() ? "" : " or ") + s + "://";
    ctx_.error(node, path, "expected a URL starting with " + list + ", got \"" + url.text() + "\"");
  }

  HttpTemplate read_http(const YAML::Node& node, const std::string& path, const Part& p) {
    HttpTemplate h;
    MapReader map(ctx_, node, path);
    if (auto n = map.get("method")) {
      if (auto i = detail::read_choice(ctx_, *n, map.path("method"), kMethods))
        h.method = kMethods[*i];
    }
    if (auto n = map.require("url")) {
      h.url = read_template(*n, map.path("url"), p);
      check_scheme(*n, map.path("url"), h.url, {"http", "https"});
    }
    if (auto n = map.get("headers")) {
      MapReader headers(ctx_, *n, map.path("headers"));
      for (const auto& key : headers.keys()) {
        const auto v = headers.get(key);
        const bool token =
            !key.empty() && key.find_first_not_of(
                                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789!#$%&'*+-.^_`|~") == std::string::npos;
        if (!token)
          ctx_.error(headers.key_mark(key), headers.path(key), "is not an HTTP header name");
        h.headers.emplace_back(key, read_template(*v, headers.path(key), p));
      }
    }
    if (auto n = map.get("body")) {
      const YamlAsJson body = yaml_as_json(*n);
      check_body(body.value, map.path("body"), body, p);
      h.body = body.value;
    }
    if (auto n = map.get("expect")) {
      const YAML::Node list = *n;
      const size_t count = list.IsSequence() ? list.size() : 1;
      for (size_t i = 0; i < count; ++i) {
        const YAML::Node item = list.IsSequence() ? list[i] : list;
        if (auto s =
                detail::read_int(ctx_, item, detail::index_path(map.path("expect"), i), 100, 599))
          h.expect.push_back(static_cast<int>(*s));
      }
    }
    map.finish();
    return h;
  }

  // Every string in a JSON body is a template.
  void check_body(const boost::json::value& v, const std::string& path, const YamlAsJson& marks,
                  const Part& p) {
    if (v.is_string()) {
      const std::string text(v.as_string());
      const std::string rel = path.substr(path.find("body") + 4);
      const std::string field = rel.empty() ? "" : rel.substr(rel[0] == '.' ? 1 : 0);
      const YAML::Mark mark = marks.locate(field);
      try {
        const TextTemplate t(text);
        for (const auto& name : t.names())
          if (std::find(p.allowed.begin(), p.allowed.end(), name) == p.allowed.end())
            ctx_.error(mark, path,
                       "unknown placeholder {" + name + "}" + did_you_mean(name, p.allowed));
      } catch (const std::invalid_argument& e) {
        ctx_.error(mark, path, e.what());
      }
      return;
    }
    if (v.is_object()) {
      for (const auto& kv : v.as_object())
        check_body(kv.value(), path + "." + std::string(kv.key()), marks, p);
    } else if (v.is_array()) {
      const auto& a = v.as_array();
      for (size_t i = 0; i < a.size(); ++i) check_body(a[i], detail::index_path(path, i), marks, p);
    }
  }

  AdminAction read_action(MapReader& parent, const std::string& key, bool required) {
    AdminAction action;
    const auto node = required ? parent.require(key) : parent.get(key);
    if (!node) return action;
    const std::string path = parent.path(key);
    if (is_absent(*node)) {
      if (required) ctx_.error(*node, path, "camleak cannot run without this action");
      return action;
    }
    const Part p = part(action_part(key));
    MapReader map(ctx_, *node, path);
    const bool has_http = map.has("http"), has_command = map.has("command");
    if (has_http == has_command) {
      ctx_.error(*node, path, "give exactly one of `http` or `command` (or write `absent`)");
      map.known({"http", "command"});
    } else if (has_http) {
      action.kind = AdminAction::Kind::http;
      action.http = read_http(*map.get("http"), map.path("http"), p);
    } else {
      action.kind = AdminAction::Kind::command;
      action.command = read_template(*map.get("command"), map.path("command"), p);
      if (action.command.empty()) ctx_.error(*node, map.path("command"), "must not be empty");
    }
    map.read_into("timeout", action.timeout, detail::read_positive_duration);
    map.finish();
    return action;
  }

  static std::string action_part(const std::string& key) {
    if (key == "create_account" || key == "delete_account") return "account";
    if (key == "create_camera" || key == "delete_camera") return "camera";
    return "share";
  }

  void read_provisioning(const YAML::Node& node, Adapter& a) {
    MapReader map(ctx_, node, "provisioning");
    a.create_account = read_action(map, "create_account", true);
    a.create_camera = read_action(map, "create_camera", true);
    a.share = read_action(map, "share", false);
    a.revoke = read_action(map, "revoke", false);
    a.delete_camera = read_action(map, "delete_camera", false);
    a.delete_account = read_action(map, "delete_account", false);
    if (a.share.present() != a.revoke.present())
      ctx_.error(map.key_mark(a.share.present() ? "share" : "revoke"),
                 "provisioning." + std::string(a.share.present() ? "share" : "revoke"),
                 "share and revoke go together: a SUT that can share but not revoke (or the "
                 "reverse) cannot run a scenario that does either");
    map.finish();
  }

  AuthTemplate read_auth(const YAML::Node& node, const std::string& path, const Part& p) {
    AuthTemplate auth;
    if (node.IsScalar()) {
      if (node.Scalar() != "none")
        ctx_.error(node, path,
                   "expected `none` or one of {basic: ...}, {digest: ...}, "
                   "{bearer: ...}, {query: ...}");
      return auth;
    }
    MapReader map(ctx_, node, path);
    const auto keys = map.keys();
    if (keys.size() != 1) {
      ctx_.error(node, path, "give exactly one scheme: basic, digest, bearer or query");
      for (const auto& k : keys) map.known({k});
      return auth;
    }
    const std::string scheme = keys[0];
    const auto value = map.get(scheme);
    const std::string sub = map.path(scheme);
    if (scheme == "basic" || scheme == "digest") {
      auth.scheme = scheme == "basic" ? AuthTemplate::Scheme::basic : AuthTemplate::Scheme::digest;
      MapReader creds(ctx_, *value, sub);
      if (auto u = creds.require("user")) auth.user = read_template(*u, creds.path("user"), p);
      if (auto pw = creds.require("password"))
        auth.password = read_template(*pw, creds.path("password"), p);
      creds.finish();
    } else if (scheme == "bearer") {
      auth.scheme = AuthTemplate::Scheme::bearer;
      auth.token = read_template(*value, sub, p);
    } else if (scheme == "query") {
      auth.scheme = AuthTemplate::Scheme::query;
      MapReader pairs(ctx_, *value, sub);
      for (const auto& k : pairs.keys())
        auth.query.emplace_back(k, read_template(*pairs.get(k), pairs.path(k), p));
      if (auth.query.empty()) ctx_.error(*value, sub, "name at least one query parameter");
    } else {
      ctx_.error(map.key_mark(scheme), sub,
                 "unknown scheme \"" + scheme + "\"" + did_you_mean(scheme, kSchemes) +
                     "; expected basic, digest, bearer or query");
    }
    return auth;
  }

  StreamEndpoint read_endpoint(const YAML::Node& node, const std::string& path,
                               const std::vector<std::string>& schemes) {
    StreamEndpoint e;
    const Part p = part(path == "publish" ? "publish" : "stream");
    MapReader map(ctx_, node, path);
    if (auto n = map.require("url")) {
      e.url = read_template(*n, map.path("url"), p);
      check_scheme(*n, map.path("url"), e.url, schemes);
    }
    if (path != "publish" && !e.url.empty()) {
      // One hub has one link per role in front of one address, and one set of credentials.
      const std::string& text = e.url.text();
      const size_t scheme_end = text.find("://");
      const size_t authority_end =
          text.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
      if (text.substr(0, authority_end).find("{camera}") != std::string::npos)
        ctx_.error(node, map.path("url"),
                   "the host and port may not depend on {camera}: each hub reaches the SUT "
                   "through one link per role, in front of one address");
    }
    if (auto n = map.get("auth")) {
      e.auth = read_auth(*n, map.path("auth"), p);
      if (path != "publish") {
        for (const auto* t : {&e.auth.user, &e.auth.password, &e.auth.token})
          for (const auto& name : t->names())
            if (name == "camera")
              ctx_.error(*n, map.path("auth"),
                         "credentials may not depend on {camera}: a hub logs in once as its "
                         "account (put per-camera values in the URL)");
      }
      if (path == "snapshot" && e.auth.scheme == AuthTemplate::Scheme::digest)
        ctx_.error(*n, map.path("auth"),
                   "snapshots take basic, bearer or query credentials (HTTP Digest is not "
                   "supported for snapshots)");
    }
    if (path == "play") {
      if (auto n = map.get("issued")) {
        MapReader issued(ctx_, *n, map.path("issued"));
        IssuedUrl u;
        if (auto r = issued.require("request"))
          u.request = read_http(*r, issued.path("request"), p);
        if (auto ptr = issued.require("pointer")) {
          if (auto s = detail::read_string(ctx_, *ptr, issued.path("pointer"))) {
            if (!s->empty() && (*s)[0] != '/')
              ctx_.error(*ptr, issued.path("pointer"),
                         "a JSON pointer (RFC 6901) starts with /, e.g. /stream/url");
            u.pointer = *s;
          }
        }
        issued.finish();
        e.issued = std::move(u);
      }
    }
    map.finish();
    return e;
  }

  void read_transports(const YAML::Node& node, Adapter& a) {
    const auto list = detail::read_string_list(ctx_, node, "transports");
    if (!list) return;
    a.transports.clear();
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node item = node.IsSequence() ? node[i] : node;
      if (auto c =
              detail::read_choice(ctx_, item, detail::index_path("transports", i), {"tcp", "udp"}))
        a.transports.insert(*c == 0 ? "tcp" : "udp");
    }
    if (a.transports.empty()) ctx_.error(node, "transports", "name at least one of tcp, udp");
  }

  void read_tls(const YAML::Node& node, AdapterTls& tls) {
    MapReader map(ctx_, node, "tls");
    map.read_into("ca", tls.ca_file, detail::read_string);
    map.read_into("cert", tls.cert_file, detail::read_string);
    map.read_into("key", tls.key_file, detail::read_string);
    map.read_into("insecure", tls.insecure, detail::read_bool);
    if (tls.cert_file.empty() != tls.key_file.empty())
      ctx_.error(node, "tls", "a client certificate needs both `cert` and `key`");
    if (tls.insecure && !tls.ca_file.empty())
      ctx_.error(node, "tls", "`insecure` skips verification, so `ca` would be ignored: give one");
    // Relative paths are taken from the adapter file's directory.
    const auto base = std::filesystem::path(ctx_.file()).parent_path();
    for (auto* f : {&tls.ca_file, &tls.cert_file, &tls.key_file})
      if (!f->empty() && std::filesystem::path(*f).is_relative() && !base.empty())
        *f = (base / *f).string();
    map.finish();
  }

  // A file path, taken from the adapter file's directory when relative.
  std::string relative_file(const YAML::Node& node, const std::string& path) {
    const auto s = detail::read_string(ctx_, node, path);
    if (!s || s->empty()) return "";
    const auto base = std::filesystem::path(ctx_.file()).parent_path();
    return std::filesystem::path(*s).is_relative() && !base.empty() ? (base / *s).string() : *s;
  }

  void read_builtin(const YAML::Node& node, BuiltinRelaySettings& b) {
    MapReader map(ctx_, node, "reference_relay");
    if (auto n = map.get("layout")) {
      if (auto i = detail::read_choice(ctx_, *n, map.path("layout"), kLayouts))
        b.layout = kLayouts[*i];
    }
    if (auto n = map.get("admin_key"))
      b.admin_key = read_template(*n, map.path("admin_key"), Part{"admin_key", variables_});
    if (auto n = map.get("tls")) {
      MapReader tls(ctx_, *n, map.path("tls"));
      if (auto c = tls.require("cert")) b.tls_cert = relative_file(*c, tls.path("cert"));
      if (auto k = tls.require("key")) b.tls_key = relative_file(*k, tls.path("key"));
      tls.finish();
    }
    map.finish();
  }

  Context& ctx_;
  const Environment& environment_;
  std::vector<std::string> variables_;
};

}  // namespace

std::string_view to_string(AuthTemplate::Scheme scheme) {
  return kSchemes[static_cast<size_t>(scheme)];
}

bool Adapter::uses_tls() const {
  const auto secure = [](const TextTemplate& url) {
    return url.text().rfind("rtsps://", 0) == 0 || url.text().rfind("https://", 0) == 0;
  };
  for (const auto* a :
       {&create_account, &create_camera, &share, &revoke, &delete_camera, &delete_account})
    if (a->kind == AdminAction::Kind::http && secure(a->http.url)) return true;
  if (secure(publish.url) || secure(play.url) || (snapshot_present && secure(snapshot.url)))
    return true;
  return play.issued && secure(play.issued->request.url);
}

bool HttpTemplate::accepts(int status) const {
  if (expect.empty()) return status >= 200 && status < 300;
  return std::find(expect.begin(), expect.end(), status) != expect.end();
}

const std::set<std::string>& placeholders_of(std::string_view part) {
  static const std::map<std::string, std::set<std::string>, std::less<>> kParts{
      {"account", {"account", "token"}},
      {"camera", {"camera", "owner", "secret", "owner_token"}},
      {"share", {"camera", "account", "owner", "owner_token", "token"}},
      {"publish", {"camera", "owner", "secret"}},
      {"stream", {"camera", "account", "token"}}};
  static const std::set<std::string> kNone;
  const auto it = kParts.find(part);
  return it == kParts.end() ? kNone : it->second;
}

const std::set<std::string>& sut_placeholders() {
  static const std::set<std::string> kNames{"host",      "rtsp_port", "http_port",  "admin_port",
                                            "rtsp_base", "http_base", "admin_base", "run"};
  return kNames;
}

std::set<std::string> sut_placeholders_used(const Adapter& a) {
  std::set<std::string> out;
  const auto add = [&](const TextTemplate& t) {
    for (const auto& n : t.names())
      if (sut_placeholders().contains(n)) out.insert(n);
  };
  const auto add_http = [&](const HttpTemplate& h) {
    add(h.url);
    for (const auto& [name, value] : h.headers) add(value);
  };
  for (const auto* action : {&a.create_account, &a.create_camera, &a.share, &a.revoke,
                             &a.delete_camera, &a.delete_account}) {
    if (action->kind == AdminAction::Kind::http) add_http(action->http);
    if (action->kind == AdminAction::Kind::command) add(action->command);
  }
  for (const auto* e : {&a.publish, &a.play, &a.snapshot}) {
    add(e->url);
    if (e->issued) add_http(e->issued->request);
  }
  return out;
}

Environment process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (const char* v = std::getenv(name.c_str())) return std::string(v);
    return std::nullopt;
  };
}

Adapter load_adapter_text(std::string_view text, const std::string& file,
                          const Environment& environment) {
  Context ctx(file);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    ctx.error(e.mark, "", "YAML syntax error: " + e.msg);
    throw InputError(ctx.take());
  }
  if (!root.IsMap()) {
    ctx.error(root, "", "an adapter file is a mapping (adapter, provisioning, publish, play, ...)");
    throw InputError(ctx.take());
  }
  Adapter a = AdapterReader(ctx, environment).read(root);
  if (auto d = ctx.take(); !d.empty()) throw InputError(std::move(d));
  return a;
}

Adapter load_adapter_file(const std::string& path, const Environment& environment) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Diagnostic{.file = path, .message = "cannot open the adapter file"});
  std::ostringstream text;
  text << in.rdbuf();
  return load_adapter_text(text.str(), path, environment);
}

const Adapter& contract_adapter() {
  static const Adapter adapter = [] {
    Adapter a = load_adapter_text(kContractAdapterText, "scenarios/adapters/contract.yaml",
                                  [](const std::string&) { return std::nullopt; });
    a.file.clear();
    return a;
  }();
  return adapter;
}

Adapter resolve_adapter(const std::string& name_or_path, const std::string& base_dir) {
  if (name_or_path == "contract") return contract_adapter();
  std::filesystem::path p(name_or_path);
  if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
  return load_adapter_file(p.string());
}

}  // namespace camleak::scenario
