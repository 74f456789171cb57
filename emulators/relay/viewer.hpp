#pragma once
// The playing side of an RTSP connection: a viewer that set up a play session (SETUP) on one
// camera and plays it (PLAY), fed the frames of that camera's channel. The connection answers
// the requests; this holds what they established, decides which frames go out (from a
// keyframe on, dropping up to the next keyframe while the connection's write queue is full)
// and stamps them with the viewer's own SSRC and sequence numbers.
//
// Bounded by construction: the frames queued on the connection are capped (frames are dropped
// until the next keyframe and counted). The connection re-authorizes the session (authorized())
// periodically and on every provisioning change.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "emulators/relay/channel.hpp"
#include "emulators/relay/media_frame.hpp"
#include "emulators/rtsp/message.hpp"
#include "harness/core/rng.hpp"

namespace camleak::relay {

class RelayCore;

// The way out for a viewer's media: its connection.
class MediaOutput {
 public:
  virtual ~MediaOutput() = default;
  virtual bool over_udp() const = 0;
  // Bytes queued on the RTSP connection and not yet written.
  virtual size_t queued_bytes() const = 0;
  // Queues (interleaved) or sends (UDP) one frame's packets, numbered from `sequence` (advanced
  // past them) and stamped with `ssrc`.
  virtual void send(const MediaFrame& frame, uint16_t& sequence, uint32_t ssrc) = 0;
  // Starts writing what is queued.
  virtual void flush() = 0;
};

// What the SETUP that opened a play session established.
struct PlaySetup {
  std::string session_id;    // in the session table
  std::string account;       // the session's account (what is authorized)
  std::string camera;        // the session's camera (what is streamed)
  std::string auth_account;  // who authenticated
  std::string auth_token;
  std::string control_url;  // the SETUP URI, named again in PLAY's RTP-Info
};

class ViewerSession : public FrameSink {
 public:
  // `rng` draws the SSRC and first sequence number of the viewer's stream.
  ViewerSession(RelayCore& core, MediaOutput& output, uint64_t connection, PlaySetup setup,
                Rng& rng);
  // Its channel holds a pointer to it while it plays.
  ViewerSession(const ViewerSession&) = delete;
  // Leaves its channel if the connection did not detach it first, so no channel ever holds a
  // dangling viewer.
  ~ViewerSession() override;
  ViewerSession& operator=(const ViewerSession&) = delete;

  uint32_t ssrc() const { return ssrc_; }

  // PLAY by `user`: only the account that set the session up, while the session's account may
  // still view its camera.
  bool may_play(const std::string& user) const;
  // Re-authorization: the credentials that set the session up are still valid and the
  // session's account may still view its camera.
  bool authorized() const;

  bool playing() const { return playing_; }
  // PLAY, in two steps around the answer: the answer (binds the camera's channel; Range and
  // RTP-Info say where the stream starts), then start_play() sends the first frames after it.
  rtsp::Response play_answer();
  void start_play();

  void deliver(const FramePtr& frame) override;

  // The connection closed. `clean` (TEARDOWN): the session is over; otherwise it stays
  // resumable.
  void detach(bool clean);

  // The viewer's fields of the relay's stats.
  void add_stats(boost::json::object& out) const;

 private:
  void send_frame(const FramePtr& frame);

  RelayCore& core_;
  MediaOutput& output_;
  uint64_t connection_;
  PlaySetup setup_;
  Channel* channel_ = nullptr;
  bool playing_ = false;
  bool need_keyframe_ = true;
  bool dropping_ = false;
  uint32_t ssrc_ = 0;
  uint16_t sequence_ = 0;
  std::optional<size_t> slot_;
  uint64_t frames_out_ = 0;
  uint64_t frames_dropped_ = 0;
  uint64_t bytes_out_ = 0;
};

}  // namespace camleak::relay
