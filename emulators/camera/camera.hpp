#pragma once
// The emulated camera: publishes its stamped pre-encoded loop to the SUT by RTSP
// (ANNOUNCE/SETUP/RECORD, Basic camera:secret) and keeps doing so across faults.
//
//   auto loop = media::H264Loop::encode(loop_config(config));   // or encode_loops() for a fleet
//   auto cam = Camera::create(io, clock, config, loop, run_key, ids, hooks);
//   cam->start();            ... cam->force_reconnect(); ... cam->stop();
//
// Each frame: the next loop picture, a fresh identity SEI (camera, owner, sequence, capture
// time from the run Clock, HMAC with the run key) bound to its slices, RTP-packetized straight
// from the loop's buffers (no copy of the slices, no re-encode). Frames are paced on a
// steady_timer from the session's start time (FrameSchedule: no drift, late slots skipped).
// Every new session starts at the loop's IDR. A failed publish or a lost session redials after
// a seeded exponential backoff.
//
// Threading: a Camera lives on one io_context, which must be run by ONE thread (the RTSP
// client is not strand-safe; use one io_context per core for a big fleet). start(), stop()
// and force_reconnect() may be called from any thread (they dispatch onto the io_context).
// counters() may be read from any thread; send_log() on the io_context thread or after stop.
// Hooks are called on the io_context thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "emulators/camera/backoff.hpp"
#include "emulators/camera/camera_config.hpp"
#include "emulators/camera/camera_counters.hpp"
#include "emulators/camera/frame_schedule.hpp"
#include "emulators/camera/history.hpp"
#include "emulators/camera/send_log.hpp"
#include "emulators/media/crypto.hpp"
#include "emulators/media/h264_loop.hpp"
#include "emulators/rtsp/conformance.hpp"
#include "emulators/rtsp/h264_packetizer.hpp"
#include "emulators/rtsp/rtsp_client.hpp"
#include "harness/core/clock.hpp"

namespace camleak::emulators {

struct FrameSent {
  const std::string& camera;
  uint64_t sequence = 0;
  Micros sent_at{};  // run clock; also the capture time stamped into the SEI
  bool keyframe = false;
};

struct CameraHooks {
  OperationSink on_operation;                           // one per publish attempt
  std::function<void(const FrameSent&)> on_frame_sent;  // optional, per frame
  // RFC deviations of the SUT the camera's RTSP clients tolerated; none: the camera keeps its own.
  std::shared_ptr<rtsp::Conformance> conformance;
};

class Camera : public std::enable_shared_from_this<Camera> {
 public:
  // Throws InputError for a bad config, MediaError when the loop is missing.
  static std::shared_ptr<Camera> create(boost::asio::io_context& io, const Clock& clock,
                                        CameraConfig config,
                                        std::shared_ptr<const media::H264Loop> loop,
                                        const media::RunKey& key, IdCounter& ids,
                                        CameraHooks hooks);
  ~Camera();
  Camera(const Camera&) = delete;
  Camera& operator=(const Camera&) = delete;

  void start();
  // Drops the current connection (or pending redial) and dials again at once: the camera side
  // of a reconnect storm. The publish in flight, if any, completes as info.
  void force_reconnect();
  // Closes the connection and stops every timer; no frame is sent afterwards. Idempotent.
  void stop();

  const CameraConfig& config() const { return config_; }
  CameraCounters counters() const;
  const SendLog& send_log() const { return send_log_; }
  // What the SUT got away with (thread-safe; see emulators/rtsp/conformance.hpp).
  const rtsp::Conformance& conformance() const { return *conformance_; }
  // True while a publish session is established (io_context thread).
  bool streaming() const { return streaming_; }

 private:
  struct Passkey {};

 public:
  Camera(Passkey, boost::asio::io_context& io, const Clock& clock, CameraConfig config,
         std::shared_ptr<const media::H264Loop> loop, const media::RunKey& key, IdCounter& ids,
         CameraHooks hooks);

 private:
  void dial();
  void on_publish_done(uint64_t generation, Micros invoked_at, const rtsp::ClientError& error);
  void on_session_lost(uint64_t generation, const rtsp::ClientError& error);
  void drop_client();
  void schedule_redial();
  void arm_frame_timer();
  void on_frame_timer();
  void send_frame(uint64_t slot);
  void send_sender_report(rtsp::RtspClient& client, uint32_t rtp_timestamp, Micros now);
  void absorb_client_counters(const rtsp::RtspClient& client);

  boost::asio::io_context& io_;
  const Clock& clock_;
  CameraConfig config_;
  std::shared_ptr<const media::H264Loop> loop_;
  media::HmacSha256 hmac_;
  IdCounter& ids_;
  CameraHooks hooks_;
  std::shared_ptr<rtsp::Conformance> conformance_;
  std::string url_;
  std::string sdp_;

  Rng rng_;
  Backoff backoff_;
  boost::asio::steady_timer frame_timer_;
  boost::asio::steady_timer redial_timer_;
  std::shared_ptr<rtsp::RtspClient> client_;
  std::optional<rtsp::H264Packetizer> packetizer_;
  std::optional<FrameSchedule> schedule_;
  uint64_t generation_ = 0;  // bumped per dial: completions of older clients are stale
  uint64_t dials_ = 0;
  bool started_ = false;
  bool stopped_ = false;
  bool streaming_ = false;
  uint64_t loop_position_ = 0;  // running loop frame index within the session
  uint64_t sequence_ = 0;       // per-camera frame sequence, continuous across sessions
  uint32_t rtp_timestamp_base_ = 0;
  uint32_t ssrc_ = 0;
  // This session's RTP totals for its sender reports, and when the last one went out.
  uint32_t session_packets_ = 0;
  uint32_t session_octets_ = 0;
  std::optional<Micros> last_report_;
  std::vector<std::span<const uint8_t>> nal_views_;  // reused per frame

  SendLog send_log_;
  mutable std::mutex counters_mutex_;
  CameraCounters counters_;
};

}  // namespace camleak::emulators
