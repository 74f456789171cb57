#pragma once
// Everything one emulated hub needs to know; a plain struct the run loop fills from the
// scenario. validate() reports every bad field at once.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "emulators/camera/backoff.hpp"
#include "emulators/rtsp/rtsp_client.hpp"
#include "harness/core/clock.hpp"

namespace camleak::emulators {

// A snapshot request's target and the headers that authorize it.
struct HttpTarget {
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A play URL the SUT issued for one attempt (an adapter's `play.issued`): the request target to
// play on the hub's live link, or why there is none (a refusal is an answer to "may this
// account watch it?", judged like a refused PLAY).
struct IssuedPlay {
  std::string target;
  std::optional<rtsp::ClientError> error;
  // The API's HTTP status (0: no answer). For an authorization probe any 2xx is the SUT saying
  // yes (DESIGN.md verdict rules: a 2xx is a violation whatever its body), even when the URL in
  // it is unusable.
  int status = 0;
};
using PlayIssuer = std::function<void(boost::asio::io_context& io, const std::string& camera,
                                      std::function<void(IssuedPlay)> done)>;

struct HubConfig {
  std::string name;     // hub id (the Operation/Observation process name)
  std::string account;  // account it logs in as (RTSP Basic account:token)
  std::string token;    // account token (also the snapshot Bearer token)
  // The SUT as the hub reaches it (normally the hub's proxy link ports).
  std::string rtsp_host = "127.0.0.1";
  uint16_t rtsp_port = 0;
  std::string http_host = "127.0.0.1";
  uint16_t http_port = 0;  // 0: no snapshot polling and no snapshot probes
  rtsp::RtpTransport transport = rtsp::RtpTransport::tcp_interleaved;
  rtsp::UdpRouter udp_router;  // RTP over UDP through the harness proxy (none: direct)
  // The SUT's URL layout and credentials as its adapter gives them (the runner fills these):
  // the live URLs' scheme, each camera's play and snapshot request target (path and query) and
  // extra snapshot headers, and the hub's RTSP credentials. Unset: the contract's rtsp://
  // /cameras/{camera} with Basic account:token, /cameras/{camera}/snapshot with Bearer token.
  std::string scheme = "rtsp";
  std::function<std::string(const std::string& camera)> play_target;
  std::optional<rtsp::ClientCredentials> credentials;
  std::function<HttpTarget(const std::string& camera)> snapshot_request;
  // Set: every play attempt first asks it for a fresh URL (play_target is then not used).
  PlayIssuer issue_play;
  // TLS (rtsps:// live URLs, https:// snapshots): the client context and the names the SUT's
  // certificates carry (the adapter URLs' hosts: the hub dials its proxy links).
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::string tls_server_name;
  bool snapshot_tls = false;
  std::string snapshot_server_name;

  std::vector<std::string> cameras;  // watched live: one RTSP play session each

  // Snapshot polling: GET /cameras/{c}/snapshot for each camera every interval (0 = off).
  Micros snapshot_interval{0};
  std::vector<std::string> snapshot_cameras;  // empty: the watched cameras

  // Authorization probes: every probe_interval one probe (0 = off), alternating RTSP play and
  // snapshot, at a target drawn (seeded) from probe_targets: cameras this account must NOT see.
  Micros probe_interval{0};
  std::vector<std::string> probe_targets;
  Micros probe_hold{1'000'000};  // a probe play that got in stays open this long collecting media

  BackoffConfig backoff;
  uint64_t seed = 1;             // run seed; the hub derives its streams from (seed, name)
  bool send_resume_hint = true;  // previous Session id in the SETUP of a reconnect

  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{5'000};
  std::chrono::milliseconds http_timeout{5'000};
  Micros media_timeout{5'000'000};  // no RTP for this long after PLAY: a stall, redial
  Micros rtcp_interval{5'000'000};  // RTCP receiver reports while playing (RFC 3550 6.2: ~5 s)

  // Bounds against a misbehaving SUT or a slow decode pool.
  std::size_t max_queued_access_units = 16;  // per stream, waiting for the decode pool
  std::size_t max_access_unit_bytes = 4u << 20;
  std::size_t max_snapshot_bytes = 4u << 20;
  std::size_t reorder_window = 32;  // RTP packets held for reordering (UDP)
};

// Throws InputError naming each bad field ("hub.token", ...).
void validate(const HubConfig& config);

// scheme://host:port + play_target(camera) (no credentials), and the snapshot request of a
// camera (the contract's when the config sets none).
std::string play_url(const HubConfig& config, const std::string& camera);
// scheme://host:port + target.
std::string play_url_with(const HubConfig& config, const std::string& target);
HttpTarget snapshot_request(const HubConfig& config, const std::string& camera);

}  // namespace camleak::emulators
