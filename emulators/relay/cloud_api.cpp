#include "emulators/relay/cloud_api.hpp"

#include <boost/beast/http.hpp>
#include <random>

#include "emulators/relay/http_api.hpp"
#include "emulators/relay/http_json.hpp"
#include "emulators/relay/relay_core.hpp"
#include "emulators/rtsp/message.hpp"
#include "harness/core/host_port.hpp"
#include "harness/core/rng.hpp"

namespace camleak::relay {
namespace {

namespace http = boost::beast::http;

std::string new_ticket() {
  thread_local Rng rng(std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32));
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  for (int i = 0; i < 32; ++i) out += kAlphabet[rng.below(sizeof kAlphabet - 1)];
  return out;
}

AdminOutcome route(RelayCore& core, const HttpRequest& request) {
  const auto parts = split_path(request.target());
  const auto method = request.method();
  // Health and stats stay where the harness's readiness probe and tests look for them.
  if (parts.size() == 2 && parts[0] == "admin" && method == http::verb::get) {
    if (parts[1] == "health") return ok(request, {{"status", "ok"}});
    if (parts[1] == "stats") return ok(request, core.stats_json());
  }
  const std::string& key = core.config().admin_key;
  if (!key.empty() && !secrets_equal(request["X-Api-Key"], key)) {
    ++core.counters.auth_failures;
    return json_error(request, 401, "a valid X-Api-Key header is required");
  }
  if (parts.size() < 2 || parts[0] != "v2") return json_error(request, 404, "no such endpoint");
  std::string error;
  if (parts.size() == 2 && parts[1] == "users" && method == http::verb::post) {
    const auto body = json_body(request, error);
    if (!body || !only_keys(*body, {"user_id", "password"}, error))
      return bad_request(core, request, error);
    const auto user = string_member(*body, "user_id", check_name, error);
    if (!user) return bad_request(core, request, error);
    const auto password = string_member(*body, "password", check_secret, error);
    if (!password) return bad_request(core, request, error);
    core.provisioning.put_account(*user, *password);
    return committed(StateChange::account(*user, *password), {{"user_id", *user}}, 201);
  }
  if (parts.size() == 2 && parts[1] == "devices" && method == http::verb::post) {
    const auto body = json_body(request, error);
    if (!body || !only_keys(*body, {"device_id", "owner_id", "stream_key"}, error))
      return bad_request(core, request, error);
    const auto device = string_member(*body, "device_id", check_name, error);
    if (!device) return bad_request(core, request, error);
    const auto owner = string_member(*body, "owner_id", check_name, error);
    if (!owner) return bad_request(core, request, error);
    const auto key_value = string_member(*body, "stream_key", check_secret, error);
    if (!key_value) return bad_request(core, request, error);
    if (core.provisioning.account(*owner) == nullptr)
      return json_error(request, 409, "unknown owner_id");
    core.provisioning.put_camera(*device, *owner, *key_value);
    return committed(StateChange::camera(*device, *owner, *key_value), {{"device_id", *device}},
                     201);
  }
  if (parts.size() >= 4 && parts[1] == "devices" && parts[3] == "grants") {
    const std::string device(parts[2]);
    if (!check_name(device).empty()) return bad_request(core, request, "bad device id");
    if (parts.size() == 4 && method == http::verb::post) {
      const auto body = json_body(request, error);
      if (!body || !only_keys(*body, {"user_id"}, error)) return bad_request(core, request, error);
      const auto user = string_member(*body, "user_id", check_name, error);
      if (!user) return bad_request(core, request, error);
      if (!core.provisioning.put_share(device, *user))
        return json_error(request, 404, "unknown device");
      return committed(StateChange::share(device, *user), {{"device_id", device}}, 201);
    }
    if (parts.size() == 5 && method == http::verb::delete_) {
      const std::string user(parts[4]);
      if (!check_name(user).empty()) return bad_request(core, request, "bad user id");
      if (!core.provisioning.delete_share(device, user))
        return json_error(request, 404, "unknown device");
      return committed(StateChange::unshare(device, user), {{"device_id", device}});
    }
  }
  return json_error(request, 404, "no such endpoint");
}

HttpResponse issue_stream(RelayCore& core, const HttpRequest& request, const std::string& device) {
  if (request.method() != http::verb::post) return json_error(request, 405, "use POST");
  const std::string token = bearer_token(request);
  const auto accounts =
      token.empty() ? std::vector<std::string>{} : core.provisioning.accounts_with_token(token);
  if (accounts.empty()) {
    ++core.counters.auth_failures;
    return json_error(request, 401, "a valid Authorization: Bearer token is required");
  }
  if (!check_name(device).empty() || core.provisioning.camera(device) == nullptr) {
    ++core.counters.not_found;
    return json_error(request, 404, "unknown device");
  }
  // Issued to the first account of the token that may see the device: a cloud answers "who may
  // watch this" here, and the RTSP side re-checks the grant on every request.
  for (const auto& account : accounts) {
    if (!core.provisioning.can_view(account, device)) continue;
    const std::string ticket = new_ticket();
    core.tickets.issue(ticket, account, device, core.now());
    const std::string url = std::string(core.tls ? "rtsps://" : "rtsp://") +
                            format_host_port(core.config().rtsp.host, core.rtsp_port()) + "/live/" +
                            device + "/" + ticket;
    return ok(
        request,
        {{"stream",
          {{"url", url},
           {"expires_in",
            std::chrono::duration_cast<std::chrono::seconds>(TicketBook::kLifetime).count()}}}});
  }
  ++core.counters.auth_failures;
  return json_error(request, 403, "this account may not watch the device");
}

}  // namespace

void handle_cloud_admin_request(RelayCore& core, const HttpRequest& request, Respond respond) {
  answer_admin(core, request, route(core, request), std::move(respond));
}

HttpResponse handle_cloud_http_request(RelayCore& core, const HttpRequest& request) {
  const auto parts = split_path(request.target());
  if (parts.size() == 4 && parts[0] == "v2" && parts[1] == "devices") {
    const std::string device(parts[2]);
    if (parts[3] == "snapshot.jpg")
      return serve_snapshot(core, request, device,
                            query_parameter(request.target(), "access_token"));
    if (parts[3] == "stream") return issue_stream(core, request, device);
  }
  return json_error(request, 404, "no such endpoint");
}

}  // namespace camleak::relay
