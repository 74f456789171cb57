#include "emulators/relay/http_api.hpp"

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <optional>
#include <vector>

#include "emulators/relay/http_json.hpp"
#include "emulators/relay/relay_core.hpp"
#include "emulators/relay/state_change.hpp"
#include "emulators/rtsp/message.hpp"
#include "harness/core/json_text.hpp"

namespace camleak::relay {

namespace http = boost::beast::http;

namespace {

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
  answer_admin(core, request, route_admin(core, request), std::move(respond));
}

HttpResponse handle_snapshot_request(RelayCore& core, const HttpRequest& request) {
  const auto parts = split_path(request.target());
  if (parts.size() != 3 || parts[0] != "cameras" || parts[2] != "snapshot") {
    return json_error(request, 404, "no such endpoint");
  }
  return serve_snapshot(core, request, std::string(parts[1]), bearer_token(request));
}

HttpResponse serve_snapshot(RelayCore& core, const HttpRequest& request, const std::string& camera,
                            const std::string& token) {
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    return json_error(request, 405, "use GET");
  }
  const auto unauthorized = [&] {
    ++core.counters.auth_failures;
    HttpResponse response =
        json_error(request, 401, "a valid token with rights to this camera is required");
    response.set(http::field::www_authenticate, "Bearer realm=\"" + core.config().realm + "\"");
    return response;
  };
  if (token.empty()) return unauthorized();
  const auto accounts = core.provisioning.accounts_with_token(token);
  if (accounts.empty()) return unauthorized();
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
