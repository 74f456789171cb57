#include "emulators/relay/http_api.hpp"

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <optional>
#include <vector>

#include "emulators/relay/relay_core.hpp"
#include "emulators/relay/state_change.hpp"
#include "emulators/rtsp/message.hpp"
#include "harness/core/json_text.hpp"

namespace camleak::relay {

namespace http = boost::beast::http;

namespace {

std::vector<std::string_view> split_path(std::string_view target) {
  if (const size_t q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start < target.size()) {
    size_t slash = target.find('/', start);
    if (slash == std::string_view::npos) slash = target.size();
    if (slash > start) parts.push_back(target.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// The body as a JSON object; nullopt after writing the 400 into `error`.
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

// A string member that passes `check`; sets `error` naming the field otherwise.
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

HttpResponse ok(const HttpRequest& request, boost::json::object body) {
  return make_response(request, 200, json_text(body) + "\n");
}

HttpResponse bad_request(RelayCore& core, const HttpRequest& request, std::string_view message) {
  ++core.counters.http_bad_requests;
  return json_error(request, 400, message);
}

// What an admin request comes to: an answer now, or a change (already applied in memory) to
// answer with `body` once it is durable.
struct AdminOutcome {
  AdminOutcome(HttpResponse r) : response(std::move(r)) {}  // implicit: the early returns
  AdminOutcome(StateChange c, boost::json::object b) : change(std::move(c)), body(std::move(b)) {}
  HttpResponse response;
  std::optional<StateChange> change;
  boost::json::object body;
};

AdminOutcome committed(StateChange change, boost::json::object body) {
  return AdminOutcome(std::move(change), std::move(body));
}

AdminOutcome route_admin(RelayCore& core, const HttpRequest& request) {
  const auto parts = split_path(request.target());
  const auto method = request.method();
  if (parts.size() < 2 || parts[0] != "admin") return json_error(request, 404, "no such endpoint");

  if (parts.size() == 2 && parts[1] == "health") {
    if (method != http::verb::get) return json_error(request, 405, "use GET");
    return ok(request, {{"status", "ok"}});
  }
  if (parts.size() == 2 && parts[1] == "stats") {
    if (method != http::verb::get) return json_error(request, 405, "use GET");
    return ok(request, core.stats_json());
  }

  std::string error;
  if (parts.size() == 3 && parts[1] == "accounts") {
    if (method != http::verb::put) return json_error(request, 405, "use PUT");
    const std::string account(parts[2]);
    if (const auto problem = check_name(account); !problem.empty()) {
      return bad_request(core, request, "account name " + problem);
    }
    const auto body = json_body(request, error);
    if (!body || !only_keys(*body, {"token"}, error)) return bad_request(core, request, error);
    const auto token = string_member(*body, "token", check_secret, error);
    if (!token) return bad_request(core, request, error);
    core.provisioning.put_account(account, *token);
    return committed(StateChange::account(account, *token), {{"account", account}});
  }

  if (parts.size() == 3 && parts[1] == "cameras") {
    if (method != http::verb::put) return json_error(request, 405, "use PUT");
    const std::string camera(parts[2]);
    if (const auto problem = check_name(camera); !problem.empty()) {
      return bad_request(core, request, "camera name " + problem);
    }
    const auto body = json_body(request, error);
    if (!body || !only_keys(*body, {"owner", "secret"}, error))
      return bad_request(core, request, error);
    const auto owner = string_member(*body, "owner", check_name, error);
    if (!owner) return bad_request(core, request, error);
    const auto secret = string_member(*body, "secret", check_secret, error);
    if (!secret) return bad_request(core, request, error);
    core.provisioning.put_camera(camera, *owner, *secret);
    return committed(StateChange::camera(camera, *owner, *secret),
                     {{"camera", camera}, {"owner", *owner}});
  }

  if (parts.size() == 5 && parts[1] == "cameras" && parts[3] == "shares") {
    const std::string camera(parts[2]);
    const std::string account(parts[4]);
    if (const auto problem = check_name(camera); !problem.empty()) {
      return bad_request(core, request, "camera name " + problem);
    }
    if (const auto problem = check_name(account); !problem.empty()) {
      return bad_request(core, request, "account name " + problem);
    }
    if (method == http::verb::put) {
      if (!core.provisioning.put_share(camera, account))
        return json_error(request, 404, "unknown camera");
      return committed(StateChange::share(camera, account),
                       {{"camera", camera}, {"shared_with", account}});
    }
    if (method == http::verb::delete_) {
      if (!core.provisioning.delete_share(camera, account))
        return json_error(request, 404, "unknown camera");
      return committed(StateChange::unshare(camera, account),
                       {{"camera", camera}, {"unshared", account}});
    }
    return json_error(request, 405, "use PUT or DELETE");
  }
  return json_error(request, 404, "no such endpoint");
}

}  // namespace

void handle_admin_request(RelayCore& core, const HttpRequest& request, Respond respond) {
  AdminOutcome outcome = route_admin(core, request);
  if (!outcome.change) return respond(std::move(outcome.response));
  HttpRequest head;  // the answer needs the request's version and keep-alive, not its body
  head.base() = request.base();
  core.provisioning_changed(
      std::move(*outcome.change), [head = std::move(head), body = std::move(outcome.body),
                                   respond = std::move(respond)](const std::string& error) mutable {
        if (!error.empty()) {
          // Applied in memory but not durable: tell the client, a real database would fail too.
          return respond(json_error(head, 500, "change applied but not persisted: " + error));
        }
        respond(ok(head, std::move(body)));
      });
}

HttpResponse handle_snapshot_request(RelayCore& core, const HttpRequest& request) {
  const auto parts = split_path(request.target());
  if (parts.size() != 3 || parts[0] != "cameras" || parts[2] != "snapshot") {
    return json_error(request, 404, "no such endpoint");
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    return json_error(request, 405, "use GET");
  }
  const auto unauthorized = [&] {
    ++core.counters.auth_failures;
    HttpResponse response = json_error(
        request, 401, "a valid Authorization: Bearer token with rights to this camera is required");
    response.set(http::field::www_authenticate, "Bearer realm=\"" + core.config().realm + "\"");
    return response;
  };
  const std::string_view authorization = request[http::field::authorization];
  if (authorization.size() <= 7 || !rtsp::iequals(authorization.substr(0, 7), "Bearer ")) {
    return unauthorized();
  }
  const std::string token(rtsp::trim(authorization.substr(7)));
  const auto accounts = core.provisioning.accounts_with_token(token);
  if (accounts.empty()) return unauthorized();
  const std::string camera(parts[1]);
  if (!check_name(camera).empty() || core.provisioning.camera(camera) == nullptr) {
    ++core.counters.not_found;
    return json_error(request, 404, "unknown camera");
  }
  bool allowed = false;
  for (const auto& account : accounts) allowed |= core.provisioning.can_view(account, camera);
  if (!allowed) return unauthorized();

  Channel& channel = core.channel(camera);
  const auto result = core.snapshots.get(channel, core.now());
  if (result.jpeg == nullptr) {
    ++core.counters.snapshots_unavailable;
    HttpResponse response = json_error(request, 503, result.error);
    response.set(http::field::retry_after, "1");
    return response;
  }
  if (result.encoded) ++core.counters.snapshots_encoded;
  ++core.counters.snapshots_served;
  HttpResponse response = make_response(
      request, 200, std::string(result.jpeg->begin(), result.jpeg->end()), "image/jpeg");
  response.set(http::field::cache_control, "no-store");
  return response;
}

}  // namespace camleak::relay
