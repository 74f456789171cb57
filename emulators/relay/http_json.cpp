#include "emulators/relay/http_json.hpp"

#include "emulators/relay/layout.hpp"
#include "emulators/relay/relay_core.hpp"
#include "emulators/rtsp/message.hpp"
#include "harness/core/json_text.hpp"

namespace camleak::relay {

std::vector<std::string_view> split_path(std::string_view target) {
  return path_segments(target.substr(0, target.find('?')));
}

std::string bearer_token(const HttpRequest& request) {
  const std::string_view authorization = request[boost::beast::http::field::authorization];
  if (authorization.size() <= 7 || !rtsp::iequals(authorization.substr(0, 7), "Bearer ")) return "";
  return std::string(rtsp::trim(authorization.substr(7)));
}

std::string query_parameter(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return "";
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return "";
}

std::optional<boost::json::object> json_body(const HttpRequest& request, std::string& error) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body(), ec);
  if (ec) {
    error = "body is not valid JSON: " + ec.message();
    return std::nullopt;
  }
  if (!value.is_object()) {
    error = "body must be a JSON object";
    return std::nullopt;
  }
  return std::move(value.as_object());
}

std::optional<std::string> string_member(const boost::json::object& object, std::string_view key,
                                         std::string (*check)(std::string_view),
                                         std::string& error) {
  const auto* v = object.if_contains(key);
  if (v == nullptr) {
    error = "field `" + std::string(key) + "` is required";
    return std::nullopt;
  }
  if (!v->is_string()) {
    error = "field `" + std::string(key) + "` must be a string";
    return std::nullopt;
  }
  std::string s(v->as_string());
  if (const std::string problem = check(s); !problem.empty()) {
    error = "field `" + std::string(key) + "` " + problem;
    return std::nullopt;
  }
  return s;
}

bool only_keys(const boost::json::object& object, std::initializer_list<std::string_view> keys,
               std::string& error) {
  for (const auto& [k, _] : object) {
    bool known = false;
    for (auto key : keys) known |= k == key;
    if (!known) {
      error = "unknown field `" + std::string(k) + "`";
      return false;
    }
  }
  return true;
}

HttpResponse ok(const HttpRequest& request, boost::json::object body, unsigned status) {
  return make_response(request, status, json_text(body) + "\n");
}

HttpResponse bad_request(RelayCore& core, const HttpRequest& request, std::string_view message) {
  ++core.counters.http_bad_requests;
  return json_error(request, 400, message);
}

AdminOutcome committed(StateChange change, boost::json::object body, unsigned status) {
  return AdminOutcome(std::move(change), std::move(body), status);
}

void answer_admin(RelayCore& core, const HttpRequest& request, AdminOutcome outcome,
                  Respond respond) {
  if (!outcome.change) return respond(std::move(outcome.response));
  HttpRequest head;  // the answer needs the request's version and keep-alive, not its body
  head.base() = request.base();
  core.provisioning_changed(
      std::move(*outcome.change),
      [head = std::move(head), body = std::move(outcome.body), status = outcome.status,
       respond = std::move(respond)](const std::string& error) mutable {
        if (!error.empty()) {
          // Applied in memory but not durable: tell the client, a real database would fail too.
          return respond(json_error(head, 500, "change applied but not persisted: " + error));
        }
        respond(ok(head, std::move(body), status));
      });
}

}  // namespace camleak::relay
