#pragma once
// Everything the reference relay can be told: where to listen, where provisioning persists,
// which defect switches are on, timeouts and the caps that keep memory bounded under hostile
// input. Plain values with defaults; load_relay_config() reads the YAML form used by
// `camleak relay --config relay.yaml`.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "emulators/relay/defects.hpp"
#include "emulators/relay/layout.hpp"
#include "harness/core/host_port.hpp"
#include "harness/tls/settings.hpp"

namespace camleak::relay {

// A numeric IPv4 or IPv6 address (never resolved) and a port (0: the OS picks; Relay reports
// the bound port).
using ListenAddress = HostPort;

// "127.0.0.1:8554", "[::1]:0", "0.0.0.0:80" (camleak::parse_authority's grammar, host and port
// required). Throws std::invalid_argument saying what was expected; the config reader adds
// file and line.
ListenAddress parse_listen_address(std::string_view text);

struct RelayTimeouts {
  // An RTSP session with no request and no incoming packet for this long is closed.
  std::chrono::milliseconds session{60'000};
  // A publisher that sends no RTP for this long after RECORD is closed.
  std::chrono::milliseconds ingest{10'000};
  // A connection whose pending write has not completed for this long is closed (a viewer that
  // never reads). Until then its frames are dropped at the queue cap.
  std::chrono::milliseconds write_stall{5'000};
  // How often active viewers are re-authorized (also done on every provisioning change). A
  // revoked share stops its stream within this period.
  std::chrono::milliseconds revoke_check{250};
  // An HTTP connection idle (or a request incomplete) for this long is closed.
  std::chrono::milliseconds http_idle{30'000};
};

struct RelayLimits {
  size_t max_connections = 4096;            // RTSP + HTTP, beyond this new ones are refused
  size_t max_header_bytes = 16 * 1024;      // RTSP and HTTP header blocks
  size_t max_body_bytes = 64 * 1024;        // SDP and admin JSON bodies
  size_t max_access_unit_bytes = 2 << 20;   // larger access units are dropped (counted)
  size_t max_viewer_queue_bytes = 1 << 20;  // per viewer: beyond it frames drop until a keyframe
  size_t max_gop_frames = 300;              // fast-start cache per camera
  size_t max_gop_bytes = 8 << 20;
  size_t max_sessions_persisted = 10'000;  // play sessions kept in the state file
};

struct RelayConfig {
  ListenAddress rtsp{"127.0.0.1", 0};
  ListenAddress http{"127.0.0.1", 0};   // snapshots
  ListenAddress admin{"127.0.0.1", 0};  // provisioning, stats, health
  std::string state_file;  // empty: provisioning lives in memory only; else the snapshot, with
                           // the journal of later changes beside it (`<state_file>.journal`)
  DefectSet defects;
  RelayTimeouts timeouts;
  RelayLimits limits;
  std::chrono::milliseconds snapshot_ttl{1'000};
  int snapshot_quality = 80;
  std::string realm = "camleak";
  // The URL and credentials scheme served (layout.hpp); `admin_key`: the cloud layout's
  // X-Api-Key (empty: none required).
  Layout layout = Layout::contract;
  std::string admin_key;
  uint64_t seed = 0;  // 0: session ids and nonces from the OS random source
  // Set: the RTSP port speaks RTSPS and the snapshot and admin ports HTTPS, all with this
  // certificate (and client certificates required when client_ca_file is set). Unset: plain.
  std::optional<tls::TlsServerSettings> tls;
};

// Throws InputError (file:line:col: field: message) for syntax errors, unknown keys (with a
// did-you-mean), bad values. Every problem found is reported, not just the first.
RelayConfig load_relay_config(const std::string& path);
RelayConfig parse_relay_config(std::string_view yaml_text, const std::string& file_name);

}  // namespace camleak::relay
