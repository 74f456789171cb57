#include "harness/runner/adapter_requests.hpp"

#include <boost/json.hpp>

#include "harness/core/errors.hpp"
#include "harness/core/json_text.hpp"

namespace camleak::runner {
namespace {

using scenario::Escape;

boost::json::value expand_json(const boost::json::value& v, const TemplateValues& values) {
  if (v.is_string()) return boost::json::value(values.text(scenario::TextTemplate(v.as_string())));
  if (v.is_object()) {
    boost::json::object out;
    for (const auto& kv : v.as_object()) out[kv.key()] = expand_json(kv.value(), values);
    return out;
  }
  if (v.is_array()) {
    boost::json::array out;
    for (const auto& item : v.as_array()) out.push_back(expand_json(item, values));
    return out;
  }
  return v;
}

UrlParts parse_expanded(const std::string& url, const std::string& field,
                        std::initializer_list<std::string_view> schemes) {
  UrlParse parsed = split_url(url);
  if (!parsed.url)
    throw InputError(Diagnostic{.field = field,
                                .message = parsed.error + " in \"" + url + "\" (after expansion)"});
  for (auto s : schemes)
    if (parsed.url->scheme == s) return *parsed.url;
  throw InputError(Diagnostic{.field = field,
                              .message = "scheme " + parsed.url->scheme + ":// in \"" + url +
                                         "\" is not one this part accepts"});
}

}  // namespace

TemplateValues::TemplateValues(const scenario::Adapter& adapter, const SutEndpoints& endpoints,
                               const std::string& run_id) {
  const std::string host = endpoints.rtsp_host.empty() ? endpoints.http_host : endpoints.rtsp_host;
  fixed_["host"] = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  fixed_["rtsp_port"] = endpoints.rtsp_port ? std::to_string(endpoints.rtsp_port) : "";
  fixed_["http_port"] = endpoints.http_port ? std::to_string(endpoints.http_port) : "";
  // An external SUT without admin_url has no admin address (HttpUrl's port defaults to 80).
  fixed_["admin_port"] = endpoints.admin.host.empty() ? "" : std::to_string(endpoints.admin.port);
  // scheme://host:port[/path] of each URL the SUT was given (the contract adapter's addresses).
  const auto base = [](bool secure, const char* plain, const std::string& h, uint16_t port,
                       const std::string& path) {
    if (h.empty() || port == 0) return std::string();
    return std::string(plain) + (secure ? "s" : "") + "://" + format_host_port(h, port) + path;
  };
  fixed_["rtsp_base"] =
      base(endpoints.rtsp_secure, "rtsp", endpoints.rtsp_host, endpoints.rtsp_port, "");
  fixed_["http_base"] =
      base(endpoints.http_secure, "http", endpoints.http_host, endpoints.http_port, "");
  fixed_["admin_base"] = base(endpoints.admin.secure, "http", endpoints.admin.host,
                              endpoints.admin.port, endpoints.admin.path);
  fixed_["run"] = run_id;
  for (const auto& [name, value] : adapter.variables) fixed_[name] = value;
}

TemplateValues TemplateValues::with(std::map<std::string, std::string> entity) const {
  TemplateValues out = *this;
  for (auto& [k, v] : entity) out.entity_[k] = std::move(v);
  return out;
}

std::string TemplateValues::expand(const scenario::TextTemplate& t, Escape escape) const {
  return t.expand([&](std::string_view name) -> std::optional<std::string> {
    if (const auto it = entity_.find(std::string(name)); it != entity_.end())
      return scenario::escape_value(it->second, escape);
    if (const auto it = fixed_.find(std::string(name)); it != fixed_.end()) {
      if (it->second.empty())
        throw InputError("the adapter uses {" + it->first +
                         "}, but the SUT has no such address (give the external SUT's URL)");
      // A shell word must stay one word even for a variable; URLs and headers take them as is.
      return escape == Escape::shell_word ? scenario::escape_value(it->second, escape) : it->second;
    }
    return std::nullopt;
  });
}

std::string TemplateValues::url(const scenario::TextTemplate& t) const {
  return expand(t, Escape::url_component);
}
std::string TemplateValues::text(const scenario::TextTemplate& t) const {
  return expand(t, Escape::none);
}
std::string TemplateValues::shell(const scenario::TextTemplate& t) const {
  return expand(t, Escape::shell_word);
}
std::string TemplateValues::json(const boost::json::value& body) const {
  return json_text(expand_json(body, *this));
}

std::string AdapterHttpRequest::text() const {
  return method + " " + url.scheme + "://" + format_host_port(url.host, url.port) + url.target;
}

AdapterHttpRequest expand_request(const scenario::HttpTemplate& t, const TemplateValues& values,
                                  const std::string& field) {
  AdapterHttpRequest out;
  out.method = t.method;
  out.url = parse_expanded(values.url(t.url), field + ".url", {"http", "https"});
  for (const auto& [name, value] : t.headers) {
    std::string text = values.text(value);
    // A line break in a header value would split the request (an environment variable, a
    // token): refused, never sent.
    if (text.find_first_of("\r\n") != std::string::npos)
      throw InputError(Diagnostic{.field = field + ".headers." + name,
                                  .message = "expands to a value with a line break"});
    out.headers.emplace_back(name, std::move(text));
  }
  if (t.body) out.body = values.json(*t.body);
  return out;
}

std::string with_query(std::string target,
                       const std::vector<std::pair<std::string, std::string>>& pairs) {
  for (const auto& [name, value] : pairs) {
    target += target.find('?') == std::string::npos ? '?' : '&';
    target += scenario::escape_value(name, Escape::url_component) + "=" +
              scenario::escape_value(value, Escape::url_component);
  }
  return target;
}

StreamTarget expand_stream(const scenario::StreamEndpoint& endpoint, const TemplateValues& values,
                           const std::string& field) {
  StreamTarget out;
  const std::string url = values.url(endpoint.url);
  const bool http = url.rfind("http", 0) == 0;
  out.url = http ? parse_expanded(url, field + ".url", {"http", "https"})
                 : parse_expanded(url, field + ".url", {"rtsp", "rtsps"});
  const auto& auth = endpoint.auth;
  out.scheme = auth.scheme;
  out.user = values.text(auth.user);
  out.password = values.text(auth.password);
  out.token = values.text(auth.token);
  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& [name, value] : auth.query) query.emplace_back(name, values.text(value));
  out.url.target = with_query(std::move(out.url.target), query);
  return out;
}

std::string upstream_of(const StreamTarget& target) {
  return format_host_port(target.url.host, target.url.port);
}

}  // namespace camleak::runner
