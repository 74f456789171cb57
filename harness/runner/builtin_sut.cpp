#include "harness/runner/builtin_sut.hpp"

#include <filesystem>

#include "emulators/relay/relay.hpp"
#include "harness/tls/settings.hpp"

namespace camleak::runner {
BuiltinSutDriver::BuiltinSutDriver(const scenario::BuiltinSut& config, const std::string& state_dir,
                                   const scenario::Adapter& adapter) {
  relay::RelayConfig rc;
  rc.layout = relay::parse_layout(adapter.builtin_relay.layout).value_or(relay::Layout::contract);
  if (!adapter.builtin_relay.tls_cert.empty())
    rc.tls = tls::TlsServerSettings{.cert_file = adapter.builtin_relay.tls_cert,
                                    .key_file = adapter.builtin_relay.tls_key};
  rc.admin_key = adapter.builtin_relay.admin_key.expand([&](std::string_view name) {
    for (const auto& [k, v] : adapter.variables)
      if (k == name) return std::optional<std::string>(v);
    return std::optional<std::string>();
  });
  std::filesystem::create_directories(state_dir);
  rc.state_file = (std::filesystem::path(state_dir) / "relay-state.json").string();
  std::filesystem::remove(rc.state_file);  // every run starts from an empty cloud
  for (const auto d : config.defects) {
    rc.defects.set(d);
    if (!defects_.empty()) defects_ += ", ";
    defects_ += defect_name(d);
  }
  rc.snapshot_ttl =
      std::chrono::duration_cast<std::chrono::milliseconds>(config.snapshot_cache_ttl);
  rc.timeouts.revoke_check =
      std::chrono::duration_cast<std::chrono::milliseconds>(config.revoke_enforcement_interval);
  rc.timeouts.session =
      std::chrono::duration_cast<std::chrono::milliseconds>(config.session_timeout);
  relay_ = std::make_unique<relay::Relay>(std::move(rc));
}

BuiltinSutDriver::~BuiltinSutDriver() {
  stop();
}

void BuiltinSutDriver::start() {
  relay_->start();
}

void BuiltinSutDriver::restart() {
  relay_->restart();
}

std::string BuiltinSutDriver::stop() noexcept {
  try {
    relay_->stop();
    return "";
  } catch (const std::exception& e) {
    return std::string("stopping the reference relay: ") + e.what();
  }
}

SutEndpoints BuiltinSutDriver::endpoints() const {
  const auto ports = relay_->ports();
  SutEndpoints e;
  e.rtsp_host = relay_->config().rtsp.host;
  e.rtsp_port = ports.rtsp;
  e.http_host = relay_->config().http.host;
  e.http_port = ports.http;
  const bool secure = relay_->config().tls.has_value();
  e.rtsp_secure = e.http_secure = secure;
  e.admin = HttpUrl{
      .host = relay_->config().admin.host, .port = ports.admin, .path = "", .secure = secure};
  return e;
}

std::string BuiltinSutDriver::describe() const {
  return "built-in reference relay" +
         (defects_.empty() ? std::string(" (no defects)") : " with defects: " + defects_);
}

}  // namespace camleak::runner
