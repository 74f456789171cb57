#include "emulators/hub/hub_config.hpp"

#include "harness/core/errors.hpp"

namespace camleak::emulators {

void validate(const HubConfig& c) {
  std::vector<Diagnostic> problems;
  auto bad = [&](const std::string& field, const char* message) {
    problems.push_back({.field = "hub." + field, .message = message});
  };
  if (c.name.empty()) bad("name", "must not be empty");
  if (c.account.empty()) bad("account", "must not be empty");
  if (c.token.empty()) bad("token", "must not be empty");
  if (c.rtsp_host.empty()) bad("rtsp_host", "must not be empty");
  if (c.rtsp_port == 0 && (!c.cameras.empty() || c.probe_interval > Micros{0}))
    bad("rtsp_port", "must be a port number (1..65535)");
  const bool wants_http = c.snapshot_interval > Micros{0} || c.probe_interval > Micros{0};
  if (c.http_port == 0 && c.snapshot_interval > Micros{0})
    bad("http_port", "must be a port number when snapshots are polled");
  if (wants_http && c.http_host.empty()) bad("http_host", "must not be empty");
  for (std::size_t i = 0; i < c.cameras.size(); ++i)
    if (c.cameras[i].empty()) bad("cameras[" + std::to_string(i) + "]", "must not be empty");
  for (std::size_t i = 0; i < c.probe_targets.size(); ++i)
    if (c.probe_targets[i].empty())
      bad("probe_targets[" + std::to_string(i) + "]", "must not be empty");
  if (c.snapshot_interval < Micros{0}) bad("snapshot_interval", "must not be negative");
  if (c.probe_interval < Micros{0}) bad("probe_interval", "must not be negative");
  if (c.probe_interval > Micros{0} && c.probe_targets.empty())
    bad("probe_targets", "probes are enabled but no target is given");
  if (c.probe_hold < Micros{0}) bad("probe_hold", "must not be negative");
  if (c.connect_timeout.count() <= 0) bad("connect_timeout", "must be positive");
  if (c.request_timeout.count() <= 0) bad("request_timeout", "must be positive");
  if (c.http_timeout.count() <= 0) bad("http_timeout", "must be positive");
  if (c.media_timeout <= Micros{0}) bad("media_timeout", "must be positive");
  if (c.max_queued_access_units == 0) bad("max_queued_access_units", "must be at least 1");
  if (c.max_access_unit_bytes < 1024) bad("max_access_unit_bytes", "must be at least 1024");
  if (c.max_snapshot_bytes < 1024) bad("max_snapshot_bytes", "must be at least 1024");
  try {
    validate(c.backoff, "hub.backoff");
  } catch (const InputError& e) {
    problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
  }
  if (!problems.empty()) throw InputError(std::move(problems));
}

std::string play_url_with(const HubConfig& config, const std::string& target) {
  const bool v6 = config.rtsp_host.find(':') != std::string::npos;
  const std::string host = v6 ? "[" + config.rtsp_host + "]" : config.rtsp_host;
  return config.scheme + "://" + host + ":" + std::to_string(config.rtsp_port) + target;
}

std::string play_url(const HubConfig& config, const std::string& camera) {
  return play_url_with(config,
                       config.play_target ? config.play_target(camera) : "/cameras/" + camera);
}

HttpTarget snapshot_request(const HubConfig& config, const std::string& camera) {
  if (config.snapshot_request) return config.snapshot_request(camera);
  return {"/cameras/" + camera + "/snapshot", {{"Authorization", "Bearer " + config.token}}};
}

}  // namespace camleak::emulators
