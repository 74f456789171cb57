#pragma once
// Everything one emulated camera needs to know; a plain struct the run loop fills from the
// scenario. validate() reports every bad field at once.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulators/camera/backoff.hpp"
#include "emulators/media/h264_loop.hpp"
#include "emulators/rtsp/rtsp_client.hpp"
#include "harness/core/clock.hpp"

namespace camleak::emulators {

struct CameraConfig {
  std::string name;    // camera id: URL path, SEI camera field, RTSP user
  std::string owner;   // owner account stamped into every frame
  std::string secret;  // Basic auth password (camera:secret)
  // Where to publish: rtsp://rtsp_host:rtsp_port/cameras/{name} (the runner points this at the
  // camera's proxy link, not at the SUT itself).
  std::string rtsp_host = "127.0.0.1";
  uint16_t rtsp_port = 0;
  rtsp::RtpTransport transport = rtsp::RtpTransport::tcp_interleaved;
  rtsp::UdpRouter udp_router;  // RTP over UDP through the harness proxy (none: direct)
  // The SUT's URL layout and credentials as its adapter gives them (the runner fills these):
  // the publish URL's scheme and request target (path and query), and how the camera proves
  // who it is. Unset: the contract's rtsp:// /cameras/{name}, Basic name:secret.
  std::string scheme = "rtsp";
  std::string publish_target;
  std::optional<rtsp::ClientCredentials> credentials;
  // rtsps: the TLS client context, and the name the SUT's certificate carries (the adapter URL's
  // host: the camera dials the proxy, not the SUT).
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::string tls_server_name;

  uint32_t pixel_code = 0;  // numeric code drawn into the picture (given by the scenario)
  int width = 320;
  int height = 240;
  int fps = 25;
  int gop = 25;
  int64_t bitrate_bps = 400'000;
  std::string preset = "ultrafast";
  int loop_gops = 1;  // pre-encoded loop length; 1 GOP keeps startup cheap for big fleets

  BackoffConfig backoff;
  uint64_t seed = 1;  // run seed; the camera derives its own streams from (seed, name)

  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{5'000};
  std::size_t max_rtp_payload = 1'400;
  Micros rtcp_interval{5'000'000};  // RTCP sender reports while publishing (RFC 3550 6.2: ~5 s)
  std::size_t max_send_queue_bytes = 1u << 20;  // beyond it frames drop (counted)
  Micros send_log_bucket{100'000};
  std::size_t send_log_max_buckets = 36'000;  // 1 hour at 100 ms
};

// Throws InputError naming each bad field ("camera.fps", ...).
void validate(const CameraConfig& config);

// scheme://host:port + publish_target (the contract's /cameras/{name} when unset), without
// credentials (IPv6 hosts are bracketed).
std::string publish_url(const CameraConfig& config);

// The loop settings of a camera: its picture settings and pixel code.
media::LoopConfig loop_config(const CameraConfig& config);

// Encodes the loops of many cameras on up to `threads` threads (startup of a large fleet is
// bound by x264, one loop per camera since the pixel code is in the picture). Result i belongs
// to configs[i]. Rethrows the first encoder failure. When `interrupted` becomes true (Ctrl-C),
// no further loop is started and HarnessError is thrown once the ones under way finish (one
// loop takes well under a second).
std::vector<std::shared_ptr<const media::H264Loop>> encode_loops(
    const std::vector<CameraConfig>& configs, unsigned threads,
    const std::atomic<bool>* interrupted = nullptr);

}  // namespace camleak::emulators
