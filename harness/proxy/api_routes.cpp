#include "harness/proxy/api_routes.hpp"

#include <charconv>
#include <set>
#include <vector>

#include "harness/core/errors.hpp"
#include "harness/core/json_text.hpp"
#include "harness/proxy/toxiproxy_json.hpp"

namespace camleak::proxy {
namespace json = boost::json;
namespace {

ApiResponse ok(const json::value& v, int status = 200) {
  return {status, json_text(v)};
}
ApiResponse no_content() {
  return {204, ""};
}
ApiResponse error(int status, const std::string& message) {
  return api_error(status, message);
}

int status_of(const ProxyError& e) {
  switch (e.kind()) {
    case ProxyError::Kind::not_found:
      return 404;
    case ProxyError::Kind::already_exists:
      return 409;
    case ProxyError::Kind::bad_request:
      return 400;
    case ProxyError::Kind::listen_failed:
      return 500;  // Toxiproxy answers a failed listen with 500 and the error text
  }
  return 500;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    const size_t j = path.find('/', i);
    const auto end = j == std::string_view::npos ? path.size() : j;
    if (end > i) parts.push_back(url_decode(path.substr(i, end - i)));
    i = end;
  }
  return parts;
}

std::string query_value(std::string_view query, std::string_view key) {
  size_t i = 0;
  while (i < query.size()) {
    const size_t amp = query.find('&', i);
    const auto pair = query.substr(i, (amp == std::string_view::npos ? query.size() : amp) - i);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      return eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    i = amp + 1;
  }
  return "";
}

uint64_t parse_count(const std::string& text, const std::string& field) {
  uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    throw ApiError(400, field + " must be a non-negative integer");
  }
  return v;
}

json::value proxy_index(const std::vector<LinkInfo>& links) {
  json::object out;
  for (const auto& l : links) out[l.name] = proxy_json(l);
  return out;
}

}  // namespace

ApiResponse api_error(int status, const std::string& message) {
  // Formatted as every error message is, so a value echoed from a 1 MiB body comes back clipped.
  const std::string text = Diagnostic{.message = message}.format();
  return {status, json_text(json::object{{"error", text}, {"status", status}})};
}

ApiResponse ApiRoutes::handle(const ApiRequest& request) {
  // Toxiproxy refuses browsers, so a web page cannot drive the local API (CSRF).
  if (request.user_agent.starts_with("Mozilla/")) return error(403, "User agent not allowed");
  try {
    return dispatch(request);
  } catch (const ApiError& e) {
    return error(e.status(), e.what());
  } catch (const ProxyError& e) {
    return error(status_of(e), e.what());
  } catch (const InputError& e) {
    return error(400, std::string("bad request body: ") + e.what());
  } catch (const std::exception& e) {
    return error(500, e.what());
  }
}

ApiResponse ApiRoutes::dispatch(const ApiRequest& request) {
  const std::string_view target = request.target;
  const auto q = target.find('?');
  const auto path = split_path(target.substr(0, q));
  const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  const std::string& m = request.method;
  const auto not_allowed = [] { return error(405, "method not allowed"); };

  if (path.size() == 1 && path[0] == "version") {
    if (m != "GET") return not_allowed();
    return ok(json::object{{"version", version_}});
  }
  if (path.size() == 1 && path[0] == "reset") {
    if (m != "POST") return not_allowed();
    proxy_.reset_all();
    return no_content();
  }
  if (path.size() == 1 && path[0] == "events") {
    if (m != "GET") return not_allowed();
    EventLog* log = proxy_.events();
    const std::string since_text = query_value(query, "since");
    const uint64_t since = since_text.empty() ? 0 : parse_count(since_text, "since");
    json::array events;
    size_t next = since;
    if (log) {
      for (const auto& e : log->since(since)) events.push_back(event_json(e));
      next = since + events.size();
    }
    return ok(json::object{
        {"events", std::move(events)}, {"next", next}, {"dropped", log ? log->dropped() : 0}});
  }
  if (path.size() == 1 && path[0] == "populate") {
    if (m != "POST") return not_allowed();
    const json::value body = parse_body(request.body);
    if (!body.is_array()) throw ApiError(400, "bad request body: expected an array of proxies");
    // Validate everything before changing anything, as Toxiproxy does.
    std::vector<ProxyInput> inputs;
    std::set<std::string> names;
    for (size_t i = 0; i < body.get_array().size(); ++i) {
      auto in = parse_proxy(body.get_array()[i]);
      if (in.name.empty()) {
        throw ApiError(400, "missing required field: name at proxy " + std::to_string(i + 1));
      }
      if (in.upstream.empty()) {
        throw ApiError(400, "missing required field: upstream at proxy " + std::to_string(i + 1));
      }
      if (!names.insert(in.name).second) {
        throw ApiError(400, "duplicate proxy name \"" + in.name + "\"");
      }
      inputs.push_back(std::move(in));
    }
    json::array created;
    for (const auto& in : inputs) {
      const auto listen = in.listen.empty() ? std::string("127.0.0.1:0") : in.listen;
      const auto existing = proxy_.links();
      const auto it = std::find_if(existing.begin(), existing.end(),
                                   [&](const LinkInfo& l) { return l.name == in.name; });
      const Protocol protocol = in.protocol.value_or(Protocol::tcp);
      if (it != existing.end() && it->upstream == in.upstream && it->listen == listen &&
          it->protocol == protocol) {
        created.push_back(proxy_json(
            proxy_.update_link(in.name, LinkUpdate{.enabled = in.enabled.value_or(true)})));
        continue;
      }
      if (it != existing.end()) proxy_.remove_link(in.name);
      created.push_back(
          proxy_json(proxy_.add_link(LinkConfig{.name = in.name,
                                                .listen = listen,
                                                .upstream = in.upstream,
                                                .protocol = protocol,
                                                .enabled = in.enabled.value_or(true)})));
    }
    return ok(json::object{{"proxies", std::move(created)}}, 201);
  }
  if (path.empty() || path[0] != "proxies") return error(404, "not found");

  if (path.size() == 1) {
    if (m == "GET") return ok(proxy_index(proxy_.links()));
    if (m != "POST") return not_allowed();
    const auto in = parse_proxy(parse_body(request.body));
    if (in.name.empty()) throw ApiError(400, "missing required field: name");
    if (in.upstream.empty()) throw ApiError(400, "missing required field: upstream");
    const auto info =
        proxy_.add_link(LinkConfig{.name = in.name,
                                   .listen = in.listen.empty() ? "127.0.0.1:0" : in.listen,
                                   .upstream = in.upstream,
                                   .protocol = in.protocol.value_or(Protocol::tcp),
                                   .enabled = in.enabled.value_or(true)});
    return ok(proxy_json(info), 201);
  }
  const std::string& name = path[1];
  if (path.size() == 2) {
    if (m == "GET") return ok(proxy_json(proxy_.link(name)));
    if (m == "POST" || m == "PATCH") {
      const auto in = parse_proxy(parse_body(request.body));
      LinkUpdate update;
      if (!in.listen.empty()) update.listen = in.listen;
      if (!in.upstream.empty()) update.upstream = in.upstream;
      update.enabled = in.enabled;
      return ok(proxy_json(proxy_.update_link(name, update)));
    }
    if (m == "DELETE") {
      if (!proxy_.remove_link(name))
        throw ProxyError(ProxyError::Kind::not_found, "proxy not found");
      return no_content();
    }
    return not_allowed();
  }
  if (path.size() == 3 && path[2] == "stats") {
    if (m != "GET") return not_allowed();
    return ok(stats_json(proxy_.stats(name)));
  }
  if (path.size() == 3 && path[2] == "reset") {
    if (m != "POST") return not_allowed();
    std::optional<std::vector<uint64_t>> indices;
    if (!request.body.empty()) {
      const auto body = parse_body(request.body);
      if (!body.is_object()) throw ApiError(400, "bad request body: expected an object");
      if (const auto* c = body.get_object().if_contains("connections")) {
        if (!c->is_array()) throw ApiError(400, "bad request body: connections must be an array");
        indices.emplace();
        for (const auto& i : c->get_array()) {
          if (!i.is_int64() || i.get_int64() < 0) {
            throw ApiError(400, "bad request body: connections must hold connection indices");
          }
          indices->push_back(static_cast<uint64_t>(i.get_int64()));
        }
      }
    }
    return ok(json::object{{"reset", proxy_.reset_connections(name, indices)}});
  }
  if (path[2] != "toxics" || path.size() > 4) return error(404, "not found");
  if (path.size() == 3) {
    if (m == "GET") {
      json::array toxics;
      for (const auto& s : proxy_.link(name).stages) toxics.push_back(toxic_json(s));
      return ok(toxics);
    }
    if (m != "POST") return not_allowed();
    proxy_.link(name);  // 404 for an unknown proxy before looking at the body
    return ok(toxic_json(proxy_.add_stage(name, parse_toxic(parse_body(request.body)))));
  }
  const std::string& toxic = path[3];
  if (m == "GET") {
    for (const auto& s : proxy_.link(name).stages) {
      if (s.name == toxic) return ok(toxic_json(s));
    }
    return error(404, "toxic not found");
  }
  if (m == "POST" || m == "PATCH") {
    proxy_.link(name);
    return ok(
        toxic_json(proxy_.update_stage(name, toxic, parse_toxic_update(parse_body(request.body)))));
  }
  if (m == "DELETE") {
    proxy_.link(name);  // "proxy not found" before "toxic not found", as Toxiproxy answers
    if (!proxy_.remove_stage(name, toxic))
      throw ProxyError(ProxyError::Kind::not_found, "toxic not found");
    return no_content();
  }
  return not_allowed();
}

}  // namespace camleak::proxy
