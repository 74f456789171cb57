#pragma once
// Test helpers for the reference relay: a relay on loopback with port 0 and a private state
// file, a blocking Beast HTTP client, an identity-stamped test camera that publishes through
// RtspClient, and a viewer that plays through RtspClient and reads the SEI identity of every
// frame it receives (so a test asserts *whose* frames arrived). All waiting is on conditions
// with deadlines, never sleeps.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulators/media/crypto.hpp"
#include "emulators/media/h264_loop.hpp"
#include "emulators/media/identity_stamper.hpp"
#include "emulators/relay/relay.hpp"
#include "emulators/rtsp/h264_depacketizer.hpp"
#include "emulators/rtsp/h264_packetizer.hpp"
#include "emulators/rtsp/rtsp_client.hpp"
#include "tests/support/loopback_http.hpp"

namespace camleak::relay::testing {

using HttpResult = loopback::HttpReply;

// One request on a fresh connection to 127.0.0.1:port (5 s socket timeouts).
inline HttpResult http_call(uint16_t port, const std::string& method, const std::string& target,
                            const std::string& body = {}, const std::string& authorization = {}) {
  return loopback::http_request(method, port, target, body, {.authorization = authorization});
}

// Runs `io` until `done` holds or the deadline passes.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds deadline = std::chrono::milliseconds(10000));

// A fresh temporary directory, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A relay on loopback (all ports 0) with a state file in a temporary directory.
class RelayUnderTest {
 public:
  explicit RelayUnderTest(DefectSet defects = {}, std::function<void(RelayConfig&)> tweak = {});
  Relay& relay() { return *relay_; }
  RelayPorts ports() const { return relay_->ports(); }
  std::string url(const std::string& camera) const { return relay_->rtsp_url(camera); }
  const std::filesystem::path& dir() const { return dir_.path(); }

  // Provisioning through the admin API; each asserts a 200.
  void put_account(const std::string& account, const std::string& token);
  void put_camera(const std::string& camera, const std::string& owner, const std::string& secret);
  void share(const std::string& camera, const std::string& account);
  void unshare(const std::string& camera, const std::string& account);

 private:
  TempDir dir_;
  std::unique_ptr<Relay> relay_;
};

// The relay's /admin/stats; an empty object when it does not answer 200 (tests poll it while
// the relay restarts or is under attack).
boost::json::object stats(const RelayUnderTest& r);
// counters.<name> of the stats, 0 when absent.
uint64_t counter(const RelayUnderTest& r, const char* name);
// active.<name> of the stats (connections, viewers, publishers, ...), -1 when absent.
int64_t active(const RelayUnderTest& r, const char* name);

// The pre-encoded loop of a camera (320x240, `fps`, keyframe every `gop` frames), cached per code.
std::shared_ptr<const media::H264Loop> test_loop(uint32_t code, int fps = 25, int gop = 5);
const media::RunKey& test_run_key();

// Publishes an identity-stamped stream at `fps` through RtspClient once start() is called.
class TestCamera {
 public:
  TestCamera(boost::asio::io_context& io, std::string url, std::string camera, std::string owner,
             std::string secret, uint32_t code,
             rtsp::RtpTransport transport = rtsp::RtpTransport::tcp_interleaved);
  ~TestCamera();
  // The client's options, to change before start() (options().tls for an rtsps:// URL).
  rtsp::RtspClientOptions& options() { return options_; }
  void start();
  void stop();  // TEARDOWN-less close (a camera losing its link)

  bool publishing() const { return publishing_; }
  bool failed() const { return static_cast<bool>(error_); }
  const rtsp::ClientError& error() const { return error_; }
  uint64_t frames_sent() const { return frames_sent_; }

 private:
  void tick();

  boost::asio::io_context& io_;
  rtsp::RtspClientOptions options_;
  std::string camera_;
  std::unique_ptr<media::IdentityStamper> stamper_;
  std::shared_ptr<rtsp::RtspClient> client_;
  rtsp::H264Packetizer packetizer_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  bool publishing_ = false;
  rtsp::ClientError error_;
  uint64_t frames_sent_ = 0;
  std::chrono::microseconds interval_;
};

// Plays through RtspClient and records the SEI identity (camera) of every complete frame.
class TestViewer {
 public:
  TestViewer(boost::asio::io_context& io, std::string url, std::string account, std::string token,
             rtsp::RtpTransport transport = rtsp::RtpTransport::tcp_interleaved);
  ~TestViewer();
  // The client's options, to change before start() (options().tls for an rtsps:// URL).
  rtsp::RtspClientOptions& options() { return options_; }
  void start();
  void teardown();  // clean goodbye
  void drop();      // vanish without TEARDOWN (a weak link dying)

  bool playing() const { return playing_; }
  bool failed() const { return static_cast<bool>(error_); }
  bool session_lost() const { return session_lost_; }
  const rtsp::ClientError& error() const { return error_; }
  // SEI camera of every frame received, in order ("" when the frame had no identity).
  const std::vector<std::string>& cameras() const { return cameras_; }
  size_t frames_from(const std::string& camera) const;
  size_t frames() const { return cameras_.size(); }
  // Frames whose identity is a camera other than `camera`.
  size_t frames_not_from(const std::string& camera) const;
  const std::string& session_id() const { return session_id_; }

 private:
  boost::asio::io_context& io_;
  rtsp::RtspClientOptions options_;
  std::shared_ptr<rtsp::RtspClient> client_;
  std::unique_ptr<rtsp::H264Depacketizer> depacketizer_;
  std::unique_ptr<media::HmacSha256> hmac_;
  std::unique_ptr<media::SliceHasher> hasher_;
  bool playing_ = false;
  bool session_lost_ = false;
  rtsp::ClientError error_;
  std::vector<std::string> cameras_;
  std::string session_id_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace camleak::relay::testing

namespace camleak::relay::testing {

// A minimal hand-written RTSP play client (SETUP with an optional `Session:` resume hint, PLAY,
// then interleaved RTP), for what RtspClient deliberately does not do. It pumps `io` while it
// waits so test cameras on the same io_context keep publishing.
class RawViewer {
 public:
  RawViewer(boost::asio::io_context& io, uint16_t port, std::string camera, std::string account,
            std::string token);
  ~RawViewer();
  // SETUP (+ hint) and PLAY; returns the status of the first non-200 answer, or 200.
  int play(const std::string& resume_hint = {});
  // Reads frames until `frames` were identified or the deadline passes.
  void receive(size_t frames, std::chrono::milliseconds deadline = std::chrono::milliseconds(5000));
  void drop();  // close without TEARDOWN

  const std::string& session_id() const { return session_id_; }
  const std::vector<std::string>& cameras() const { return cameras_; }
  size_t frames_not_from(const std::string& camera) const;
  size_t frames_from(const std::string& camera) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string session_id_;
  std::vector<std::string> cameras_;
};

}  // namespace camleak::relay::testing
