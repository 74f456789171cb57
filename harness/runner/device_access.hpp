#pragma once
// How each device reaches the SUT under the scenario's adapter: the address its proxy link
// forwards to, and what the device itself sends (scheme, request targets, credentials). The
// proxy links and the fleet are built from these, so the two always agree. Pure.
#include <functional>
#include <string>
#include <vector>

#include "emulators/hub/hub_config.hpp"
#include "emulators/rtsp/rtsp_client.hpp"
#include "harness/runner/adapter_requests.hpp"
#include "harness/runner/credentials.hpp"
#include "harness/scenario/scenario.hpp"

namespace camleak::runner {

struct CameraAccess {
  std::string upstream;  // host:port the camera's uplink forwards to
  std::string host;      // the SUT's host in the URL (what its TLS certificate names)
  std::string scheme;    // rtsp or rtsps
  std::string target;    // path and query of the publish URL
  rtsp::ClientCredentials credentials;
};

struct HubAccess {
  std::string live_upstream;      // host:port of every play URL of the hub
  std::string snapshot_upstream;  // "" when the adapter has no snapshots
  std::string scheme;             // of the play URLs
  std::string host;               // the SUT's host in them (what its TLS certificate names)
  std::string snapshot_scheme;    // http or https
  std::string snapshot_host;
  rtsp::ClientCredentials credentials;
  std::function<std::string(const std::string& camera)> play_target;
  std::function<emulators::HttpTarget(const std::string& camera)> snapshot_request;
  emulators::PlayIssuer issue_play;  // set when the adapter's play URLs are issued at run time
};

// Throw InputError naming the adapter field when an expanded URL is unusable, or when one
// hub's play (or snapshot) URLs point at more than one address: each hub has one proxy link
// per role, in front of one address.
CameraAccess camera_access(const scenario::Adapter& adapter, const TemplateValues& values,
                           const scenario::Camera& camera, const Credentials& credentials);
// `tls`: the run's client context (adapter_tls.hpp), for issued-URL requests over https.
HubAccess hub_access(const scenario::Adapter& adapter, const TemplateValues& values,
                     const scenario::Hub& hub, const std::vector<std::string>& cameras,
                     const Credentials& credentials,
                     std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

// An adapter's `auth` as RTSP client credentials (query credentials are in the URL: none).
rtsp::ClientCredentials rtsp_credentials(const StreamTarget& target);
// The headers that carry an HTTP request's credentials (basic, bearer; none for query).
std::vector<std::pair<std::string, std::string>> http_auth_headers(const StreamTarget& target);

}  // namespace camleak::runner
