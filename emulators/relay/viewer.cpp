#include "emulators/relay/viewer.hpp"

#include "emulators/relay/relay_core.hpp"
#include "emulators/rtsp/headers.hpp"

namespace camleak::relay {

ViewerSession::ViewerSession(RelayCore& core, MediaOutput& output, uint64_t connection,
                             PlaySetup setup, Rng& rng)
    : core_(core), output_(output), connection_(connection), setup_(std::move(setup)) {
  ssrc_ = static_cast<uint32_t>(rng.next_u64());
  sequence_ = static_cast<uint16_t>(rng.next_u64());
}

bool ViewerSession::may_play(const std::string& user) const {
  return user == setup_.auth_account && core_.provisioning.can_view(setup_.account, setup_.camera);
}

bool ViewerSession::authorized() const {
  return core_.provisioning.token_valid(setup_.auth_account, setup_.auth_token) &&
         core_.provisioning.can_view(setup_.account, setup_.camera);
}

rtsp::Response ViewerSession::play_answer() {
  channel_ = &core_.channel(setup_.camera);
  rtsp::Response response;
  response.headers.set("Range", "npt=0.000-");
  rtsp::RtpInfoEntry info{.url = setup_.control_url, .seq = sequence_};
  const auto& gop = channel_->gop();
  if (!gop.empty()) info.rtptime = gop.front()->rtp_timestamp;
  response.headers.set("RTP-Info", rtsp::format_rtp_info({info}));
  return response;
}

void ViewerSession::start_play() {
  ++core_.counters.play_sessions_started;
  playing_ = true;
  need_keyframe_ = true;
  channel_->add_viewer(this);
  if (core_.config().defects.weak_signal_cache) {
    // See viewer_slots.hpp: the resume cache of the slot, whatever camera filled it.
    slot_ = core_.slots.acquire();
    const std::vector<FramePtr> resume = core_.slots.resume_cache(*slot_);
    if (!resume.empty()) {
      for (const auto& frame : resume) {
        send_frame(frame);
        ++core_.counters.resume_cache_frames_served;
      }
      need_keyframe_ = false;
      output_.flush();
      return;
    }
  }
  for (const auto& frame : channel_->gop()) {
    send_frame(frame);
    ++core_.counters.fast_start_frames;
    need_keyframe_ = false;
  }
  output_.flush();
}

void ViewerSession::deliver(const FramePtr& frame) {
  if (!playing_) return;  // a closed connection has detached its viewer already
  if (need_keyframe_) {
    if (!frame->keyframe) return;  // nothing decodable before the first keyframe
    need_keyframe_ = false;
  }
  if (dropping_ && !frame->keyframe) {
    ++frames_dropped_;
    ++core_.counters.frames_dropped;
    return;
  }
  if (!output_.over_udp() &&
      output_.queued_bytes() + frame->wire.size() > core_.config().limits.max_viewer_queue_bytes) {
    // Slow viewer: drop this frame and everything up to the next keyframe (a decoder cannot
    // use P-frames after a gap anyway).
    dropping_ = true;
    ++frames_dropped_;
    ++core_.counters.frames_dropped;
    return;
  }
  dropping_ = false;
  send_frame(frame);
  output_.flush();
}

void ViewerSession::send_frame(const FramePtr& frame) {
  if (slot_) core_.slots.record_sent(*slot_, frame);
  ++frames_out_;
  ++core_.counters.frames_out;
  bytes_out_ += frame->wire.size();
  output_.send(*frame, sequence_, ssrc_);
}

ViewerSession::~ViewerSession() {
  if (channel_ != nullptr) channel_->remove_viewer(this);
}

void ViewerSession::detach(bool clean) {
  if (channel_ != nullptr) channel_->remove_viewer(this);
  channel_ = nullptr;
  playing_ = false;
  if (slot_) core_.slots.release(*slot_, clean);
  slot_.reset();
  if (!setup_.session_id.empty()) {
    if (clean) {
      core_.sessions.close(setup_.session_id, connection_);
    } else {
      core_.sessions.detach(setup_.session_id, connection_, core_.now());
    }
    core_.sessions_changed();
  }
}

void ViewerSession::add_stats(boost::json::object& out) const {
  out["account"] = setup_.account;
  out["camera"] = setup_.camera;
  out["frames_out"] = frames_out_;
  out["frames_dropped"] = frames_dropped_;
  out["bytes_out"] = bytes_out_;
  out["queued_bytes"] = output_.queued_bytes();
  if (slot_) out["slot"] = *slot_;
}

}  // namespace camleak::relay
