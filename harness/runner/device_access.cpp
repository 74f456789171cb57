#include "harness/runner/device_access.hpp"

#include "emulators/rtsp/auth.hpp"
#include "harness/core/errors.hpp"
#include "harness/runner/play_issuer.hpp"

namespace camleak::runner {
namespace {

using Scheme = scenario::AuthTemplate::Scheme;

TemplateValues stream_values(const TemplateValues& values, const std::string& camera,
                             const std::string& account, const std::string& token) {
  return values.with({{"camera", camera}, {"account", account}, {"token", token}});
}

// The one address every camera's URL of `endpoint` has for this hub.
std::string common_upstream(const scenario::StreamEndpoint& endpoint, const TemplateValues& values,
                            const scenario::Hub& hub, const std::vector<std::string>& cameras,
                            const std::string& token, const std::string& field) {
  std::string upstream;
  std::string first;
  for (const auto& camera : cameras) {
    const StreamTarget t =
        expand_stream(endpoint, stream_values(values, camera, hub.account, token), field);
    const std::string u = upstream_of(t);
    if (upstream.empty()) {
      upstream = u;
      first = camera;
    } else if (u != upstream) {
      throw InputError(Diagnostic{.field = field + ".url",
                                  .message = "the URLs of " + first + " and " + camera + " for " +
                                             hub.name + " point at two addresses (" + upstream +
                                             ", " + u +
                                             "); camleak impairs one address per hub and role"});
    }
  }
  return upstream;
}

}  // namespace

rtsp::ClientCredentials rtsp_credentials(const StreamTarget& target) {
  using Mode = rtsp::ClientCredentials::Mode;
  switch (target.scheme) {
    case Scheme::basic:
      return {Mode::basic, target.user, target.password};
    case Scheme::digest:
      return {Mode::digest, target.user, target.password};
    case Scheme::bearer:
      return {Mode::bearer, "", target.token};
    case Scheme::none:
    case Scheme::query:
      break;
  }
  return {Mode::none, "", ""};
}

std::vector<std::pair<std::string, std::string>> http_auth_headers(const StreamTarget& target) {
  switch (target.scheme) {
    case Scheme::basic:
      return {{"Authorization", rtsp::basic_authorization(target.user, target.password)}};
    case Scheme::bearer:
      return {{"Authorization", "Bearer " + target.token}};
    case Scheme::digest:  // refused when the adapter is read
    case Scheme::none:
    case Scheme::query:
      break;
  }
  return {};
}

CameraAccess camera_access(const scenario::Adapter& adapter, const TemplateValues& values,
                           const scenario::Camera& camera, const Credentials& credentials) {
  const auto owner_token = credentials.account_tokens.find(camera.owner);
  const StreamTarget t = expand_stream(
      adapter.publish,
      values.with({{"camera", camera.name},
                   {"owner", camera.owner},
                   {"secret", credentials.camera_secrets.at(camera.name)},
                   {"owner_token",
                    owner_token == credentials.account_tokens.end() ? "" : owner_token->second}}),
      "publish");
  return {.upstream = upstream_of(t),
          .host = t.url.host,
          .scheme = t.url.scheme,
          .target = t.url.target,
          .credentials = rtsp_credentials(t)};
}

HubAccess hub_access(const scenario::Adapter& adapter, const TemplateValues& values,
                     const scenario::Hub& hub, const std::vector<std::string>& cameras,
                     const Credentials& credentials,
                     std::shared_ptr<boost::asio::ssl::context> tls) {
  HubAccess out;
  if (cameras.empty()) return out;
  // Each lambda keeps the hub's own token, not the run's whole table of them.
  const std::string token = credentials.account_tokens.at(hub.account);
  out.live_upstream = common_upstream(adapter.play, values, hub, cameras, token, "play");
  const StreamTarget first =
      expand_stream(adapter.play, stream_values(values, cameras[0], hub.account, token), "play");
  out.scheme = first.url.scheme;
  out.host = first.url.host;
  out.credentials = rtsp_credentials(first);
  out.play_target = [&adapter, values, account = hub.account, token](const std::string& camera) {
    return expand_stream(adapter.play, stream_values(values, camera, account, token), "play")
        .url.target;
  };
  if (adapter.play.issued)
    out.issue_play =
        make_play_issuer(adapter, values, hub.account, token, first.url, std::move(tls));
  if (!adapter.snapshot_present) return out;
  out.snapshot_upstream =
      common_upstream(adapter.snapshot, values, hub, cameras, token, "snapshot");
  const StreamTarget snapshot = expand_stream(
      adapter.snapshot, stream_values(values, cameras[0], hub.account, token), "snapshot");
  out.snapshot_scheme = snapshot.url.scheme;
  out.snapshot_host = snapshot.url.host;
  out.snapshot_request = [&adapter, values, account = hub.account,
                          token](const std::string& camera) {
    const StreamTarget t =
        expand_stream(adapter.snapshot, stream_values(values, camera, account, token), "snapshot");
    return emulators::HttpTarget{t.url.target, http_auth_headers(t)};
  };
  return out;
}

}  // namespace camleak::runner
