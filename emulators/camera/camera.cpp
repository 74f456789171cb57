#include "emulators/camera/camera.hpp"

#include <boost/asio/dispatch.hpp>

#include "emulators/media/identity_sei.hpp"
#include "emulators/media/media_error.hpp"
#include "emulators/rtsp/rtcp.hpp"
#include "emulators/rtsp/rtp.hpp"
#include "emulators/rtsp/sdp.hpp"

namespace camleak::emulators {

namespace asio = boost::asio;

namespace {

constexpr uint32_t kRtpClock = 90'000;

std::string build_sdp(const CameraConfig& config, const media::H264Loop& loop) {
  rtsp::H264SdpParams params;
  params.session_name = config.name;
  params.sps = loop.sps();
  params.pps = loop.pps();
  return rtsp::build_h264_sdp(params);
}

}  // namespace

std::shared_ptr<Camera> Camera::create(asio::io_context& io, const Clock& clock,
                                       CameraConfig config,
                                       std::shared_ptr<const media::H264Loop> loop,
                                       const media::RunKey& key, IdCounter& ids,
                                       CameraHooks hooks) {
  validate(config);
  if (!loop || loop->size() == 0) throw media::MediaError("camera " + config.name + ": no loop");
  return std::make_shared<Camera>(Passkey{}, io, clock, std::move(config), std::move(loop), key,
                                  ids, std::move(hooks));
}

Camera::Camera(Passkey, asio::io_context& io, const Clock& clock, CameraConfig config,
               std::shared_ptr<const media::H264Loop> loop, const media::RunKey& key,
               IdCounter& ids, CameraHooks hooks)
    : io_(io),
      clock_(clock),
      config_(std::move(config)),
      loop_(std::move(loop)),
      hmac_(key),
      ids_(ids),
      hooks_(std::move(hooks)),
      conformance_(hooks_.conformance ? hooks_.conformance : std::make_shared<rtsp::Conformance>()),
      url_(publish_url(config_)),
      sdp_(build_sdp(config_, *loop_)),
      rng_(Rng::derive(config_.seed, "camera:" + config_.name)),
      backoff_(config_.backoff, rng_.child("backoff")),
      frame_timer_(io),
      redial_timer_(io),
      send_log_(config_.send_log_bucket, config_.send_log_max_buckets) {
  // Fails here rather than on the first frame when the camera or owner cannot be stamped.
  media::serialize_identity_fields(
      media::IdentityFields{.camera = config_.name, .owner = config_.owner});
  nal_views_.reserve(8);
}

Camera::~Camera() {
  if (client_) client_->close();
}

void Camera::start() {
  asio::dispatch(io_, [self = shared_from_this()] {
    if (self->started_ || self->stopped_) return;
    self->started_ = true;
    self->dial();
  });
}

void Camera::force_reconnect() {
  asio::dispatch(io_, [self = shared_from_this()] {
    if (!self->started_ || self->stopped_) return;
    if (self->client_) {
      std::lock_guard lock(self->counters_mutex_);
      ++self->counters_.forced_redials;
    }
    self->drop_client();
    self->redial_timer_.cancel();
    self->backoff_.reset();
    self->dial();
  });
}

void Camera::stop() {
  asio::dispatch(io_, [self = shared_from_this()] {
    if (self->stopped_) return;
    self->stopped_ = true;
    self->drop_client();
    self->redial_timer_.cancel();
  });
}

CameraCounters Camera::counters() const {
  std::lock_guard lock(counters_mutex_);
  return counters_;
}

void Camera::dial() {
  if (stopped_) return;
  const uint64_t generation = ++generation_;
  ++dials_;
  rtsp::RtspClientOptions options;
  options.url = url_;
  rtsp::use_credentials(options, config_.credentials.value_or(rtsp::ClientCredentials{
                                     .user = config_.name, .password = config_.secret}));
  options.tls = config_.tls;
  options.tls_server_name = config_.tls_server_name;
  options.transport = config_.transport;
  options.udp_router = config_.udp_router;
  options.connect_timeout = config_.connect_timeout;
  options.request_timeout = config_.request_timeout;
  options.max_send_queue_bytes = config_.max_send_queue_bytes;
  options.conformance = conformance_;
  options.seed = Rng::derive(rng_.seed(), "dial:" + std::to_string(dials_));
  client_ = rtsp::RtspClient::create(io_, std::move(options));
  {
    std::lock_guard lock(counters_mutex_);
    ++counters_.publish_attempts;
  }
  const Micros invoked_at = clock_.now();
  auto self = shared_from_this();
  client_->on_session_error([self, generation](const rtsp::ClientError& error) {
    self->on_session_lost(generation, error);
  });
  client_->publish(sdp_, [self, generation, invoked_at](const rtsp::ClientError& error,
                                                        const rtsp::SessionInfo&) {
    self->on_publish_done(generation, invoked_at, error);
  });
}

void Camera::on_publish_done(uint64_t generation, Micros invoked_at,
                             const rtsp::ClientError& error) {
  // Every invoke gets exactly one completion in the history, stale or not.
  Operation op;
  op.id = ids_.next();
  op.process = config_.name;
  op.type = OperationType::publish;
  op.camera = config_.name;
  op.invoked_at = invoked_at;
  op.completed_at = clock_.now();
  op.completion = completion_of(error);
  op.status_code = error.ok() ? 200 : error.status;
  op.detail = error.ok() ? "RECORD accepted" : error.describe();
  {
    std::lock_guard lock(counters_mutex_);
    if (op.completion == CompletionType::ok) ++counters_.publish_ok;
    if (op.completion == CompletionType::fail) ++counters_.publish_failed;
    if (op.completion == CompletionType::info) ++counters_.publish_indeterminate;
  }
  if (hooks_.on_operation) hooks_.on_operation(op);

  if (generation != generation_ || stopped_) return;
  if (error) {
    drop_client();
    schedule_redial();
    return;
  }
  backoff_.reset();
  streaming_ = true;
  loop_position_ = 0;  // the loop starts at its IDR: a new viewer can decode at once
  rtsp::H264PacketizerConfig packetizer;
  packetizer.ssrc = static_cast<uint32_t>(rng_.next_u64());
  ssrc_ = packetizer.ssrc;
  session_packets_ = 0;
  session_octets_ = 0;
  last_report_.reset();
  packetizer.initial_sequence = static_cast<uint16_t>(rng_.next_u64());
  packetizer.max_payload = config_.max_rtp_payload;
  packetizer_.emplace(packetizer);
  rtp_timestamp_base_ = static_cast<uint32_t>(rng_.next_u64());
  schedule_.emplace(clock_.now(), config_.fps);
  on_frame_timer();  // first frame now
}

void Camera::on_session_lost(uint64_t generation, const rtsp::ClientError&) {
  if (generation != generation_ || stopped_) return;
  {
    std::lock_guard lock(counters_mutex_);
    ++counters_.sessions_lost;
  }
  drop_client();
  schedule_redial();
}

void Camera::drop_client() {
  streaming_ = false;
  frame_timer_.cancel();
  // Completions of the dropped client are stale from here on. close() may run the pending
  // publish completion synchronously, so the client is detached before it is closed.
  ++generation_;
  if (auto client = std::move(client_)) {
    absorb_client_counters(*client);
    client->close();
  }
}

void Camera::absorb_client_counters(const rtsp::RtspClient& client) {
  const rtsp::ClientCounters& c = client.counters();
  const rtsp::ParserCounters& p = client.parser_counters();
  std::lock_guard lock(counters_mutex_);
  counters_.sut_parse_errors += c.parse_errors;
  counters_.sut_bad_messages += p.bad_messages + p.bogus_interleaved + p.header_too_large +
                                p.body_too_large + p.bad_content_length + p.missing_cseq;
  counters_.sut_garbage_bytes += p.bytes_garbage;
  counters_.sut_unmatched_responses += c.unmatched_responses;
  counters_.sut_requests += c.server_requests;
}

void Camera::schedule_redial() {
  if (stopped_) return;
  redial_timer_.expires_after(backoff_.next());
  redial_timer_.async_wait(
      [self = shared_from_this(), generation = generation_](const boost::system::error_code& ec) {
        if (ec || generation != self->generation_ || self->stopped_) return;
        self->dial();
      });
}

void Camera::arm_frame_timer() {
  const Micros wait = schedule_->next_due() - clock_.now();
  frame_timer_.expires_after(std::max(wait, Micros{0}));
  frame_timer_.async_wait(
      [self = shared_from_this(), generation = generation_](const boost::system::error_code& ec) {
        if (ec || generation != self->generation_ || !self->streaming_) return;
        self->on_frame_timer();
      });
}

void Camera::on_frame_timer() {
  if (const auto step = schedule_->advance(clock_.now())) {
    if (step->skipped > 0) {
      std::lock_guard lock(counters_mutex_);
      counters_.frames_skipped += step->skipped;
    }
    send_frame(step->slot);
    if (!streaming_) return;  // the send failed the session
  }
  arm_frame_timer();
}

// RFC 3550 6.4.1: NTP wall-clock time paired with the RTP time of the frame just sent, and this
// session's packet and payload octet counts. Sent on the RTCP channel (or port) every interval.
void Camera::send_sender_report(rtsp::RtspClient& client, uint32_t rtp_timestamp, Micros now) {
  if (last_report_ && now - *last_report_ < config_.rtcp_interval) return;
  last_report_ = now;
  std::vector<uint8_t> packet;
  rtsp::append_rtcp_sr(
      packet,
      rtsp::RtcpSenderReport{.ssrc = ssrc_,
                             .ntp_timestamp = rtsp::ntp_timestamp(std::chrono::system_clock::now()),
                             .rtp_timestamp = rtp_timestamp,
                             .packet_count = session_packets_,
                             .octet_count = session_octets_});
  if (client.send_rtcp(packet)) {
    std::lock_guard lock(counters_mutex_);
    ++counters_.rtcp_reports_sent;
  }
}

void Camera::send_frame(uint64_t slot) {
  const media::LoopFrame& frame = loop_->frame(loop_position_++);
  const uint64_t sequence = sequence_++;
  const Micros capture_time = clock_.now();
  const Bytes fields =
      media::serialize_identity_fields(media::IdentityFields{.camera = config_.name,
                                                             .owner = config_.owner,
                                                             .sequence = sequence,
                                                             .capture_time = capture_time});
  const Bytes sei =
      media::build_identity_sei_nal(fields, media::identity_mac(hmac_, fields, frame.slice_digest));

  nal_views_.clear();
  if (frame.keyframe) {
    nal_views_.emplace_back(loop_->sps());
    nal_views_.emplace_back(loop_->pps());
  }
  nal_views_.emplace_back(sei);
  for (const Bytes& slice : frame.vcl) nal_views_.emplace_back(slice);

  // RTP time follows the slot (the intended capture instant), so skipped slots show as a gap.
  const uint32_t timestamp =
      rtp_timestamp_base_ +
      static_cast<uint32_t>(slot * kRtpClock / static_cast<uint64_t>(config_.fps));
  bool complete = true;
  uint64_t packets = 0;
  uint64_t bytes = 0;
  // A local reference: a send error may end the session (and drop client_) re-entrantly.
  const std::shared_ptr<rtsp::RtspClient> client = client_;
  packetizer_->packetize(std::span<const std::span<const uint8_t>>(nal_views_), timestamp,
                         [&](std::span<const uint8_t> packet) {
                           if (client->send_rtp(packet)) {
                             ++packets;
                             bytes += packet.size();
                           } else {
                             complete = false;
                           }
                         });
  {
    std::lock_guard lock(counters_mutex_);
    counters_.rtp_packets_sent += packets;
    counters_.rtp_bytes_sent += bytes;
    if (complete) {
      ++counters_.frames_sent;
      if (frame.keyframe) ++counters_.keyframes_sent;
    } else {
      ++counters_.frames_dropped_local;
    }
  }
  session_packets_ += static_cast<uint32_t>(packets);
  session_octets_ += static_cast<uint32_t>(bytes - packets * rtsp::kRtpFixedHeaderSize);
  if (complete && client_ == client) send_sender_report(*client, timestamp, capture_time);
  if (!complete) return;
  send_log_.record(capture_time);
  if (hooks_.on_frame_sent) {
    hooks_.on_frame_sent(FrameSent{config_.name, sequence, capture_time, frame.keyframe});
  }
}

}  // namespace camleak::emulators
