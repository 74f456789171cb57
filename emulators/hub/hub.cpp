#include "emulators/hub/hub.hpp"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <optional>

#include "emulators/media/frame_identifier.hpp"
#include "emulators/media/still_image.hpp"
#include "emulators/rtsp/h264_depacketizer.hpp"
#include "emulators/rtsp/rtcp.hpp"
#include "emulators/rtsp/rtsp_client.hpp"

namespace camleak::emulators {

namespace asio = boost::asio;

// State the decode workers share with the io thread: identity of the hub, the observation sink
// and the counters (guarded: both sides update them).
struct Hub::Shared {
  std::string hub;
  std::string account;
  media::RunKey key;
  IdCounter& ids;
  ObservationSink on_observation;
  media::DecoderLimits limits;
  std::atomic<bool> stopped{false};
  mutable std::mutex mutex;
  HubCounters counters;

  Shared(std::string h, std::string a, const media::RunKey& k, IdCounter& i, ObservationSink o)
      : hub(std::move(h)), account(std::move(a)), key(k), ids(i), on_observation(std::move(o)) {}

  template <typename F>
  void update(F&& f) {
    std::lock_guard lock(mutex);
    f(counters);
  }

  void deliver(Observation& o, const media::Picture& picture) {
    if (stopped.load(std::memory_order_acquire)) return;
    o.id = ids.next();
    o.hub = hub;
    o.account = account;
    update([](HubCounters& c) { ++c.observations; });
    if (on_observation) on_observation(o, picture);
  }
};

// One RTSP play session slot: a watched camera (redialled forever) or a one-shot probe.
struct Hub::Play {
  std::string camera;
  bool probe = false;
  std::shared_ptr<rtsp::RtspClient> client;
  std::optional<rtsp::H264Depacketizer> depacketizer;
  std::shared_ptr<DecodePool::Stream> decode;
  uint64_t generation = 0;  // bumped per dial and per drop: older callbacks are stale
  uint64_t dials = 0;
  std::string resume_session;  // Session id of the last established session
  Backoff backoff;
  asio::steady_timer redial_timer;
  asio::steady_timer watchdog;
  asio::steady_timer hold_timer;
  Micros last_media{};
  bool streaming = false;

  // Receiver reports (RFC 3550 6.4.2) of the current session: our SSRC, and what the previous
  // report covered (the depacketizer follows the source and its sequence numbers).
  uint32_t report_ssrc = 0;
  std::optional<Micros> last_report;
  uint64_t reported_received = 0;
  uint64_t reported_lost = 0;

  Play(asio::io_context& io, std::string c, bool p, Backoff b)
      : camera(std::move(c)),
        probe(p),
        backoff(std::move(b)),
        redial_timer(io),
        watchdog(io),
        hold_timer(io) {}
};

namespace {

// The decode worker side of one play stream: one FrameIdentifier, reset when the connection
// (generation) changes because reference pictures of the old connection are gone.
struct LiveDecoder {
  std::string camera;
  bool probe = false;
  std::optional<media::FrameIdentifier> identifier;
  uint64_t generation = 0;
};

std::string format_cap(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

// "HTTP 200 image/jpeg", and what became of the body when it was not read to its end.
std::string describe_answer(const HttpGetResult& result, std::size_t max_body_bytes) {
  using Outcome = HttpGetResult::Outcome;
  std::string s = "HTTP " + std::to_string(result.status);
  if (!result.content_type.empty()) s += " " + result.content_type;
  switch (result.outcome) {
    case Outcome::response:
      return s;
    case Outcome::too_large:
      return s + ", body over the " + format_cap(max_body_bytes) + " cap: not read";
    case Outcome::timeout:
      return s + ", body unfinished at the deadline: not read";
    case Outcome::cut:
      return s + ", connection closed mid-body: not read";
    default:
      return s + ", body unreadable (" + result.message + "): not read";
  }
}

}  // namespace

std::shared_ptr<Hub> Hub::create(asio::io_context& io, const Clock& clock, HubConfig config,
                                 const media::RunKey& key, IdCounter& ids, DecodePool& pool,
                                 HubHooks hooks) {
  validate(config);
  return std::make_shared<Hub>(Passkey{}, io, clock, std::move(config), key, ids, pool,
                               std::move(hooks));
}

Hub::Hub(Passkey, asio::io_context& io, const Clock& clock, HubConfig config,
         const media::RunKey& key, IdCounter& ids, DecodePool& pool, HubHooks hooks)
    : io_(io),
      clock_(clock),
      config_(std::move(config)),
      pool_(pool),
      on_operation_(std::move(hooks.on_operation)),
      conformance_(hooks.conformance ? std::move(hooks.conformance)
                                     : std::make_shared<rtsp::Conformance>()),
      shared_(std::make_shared<Shared>(config_.name, config_.account, key, ids,
                                       std::move(hooks.on_observation))),
      rng_(Rng::derive(config_.seed, "hub:" + config_.name)),
      probe_rng_(rng_.child("probes")),
      snapshot_timer_(io),
      probe_timer_(io) {
  shared_->limits.max_input_bytes =
      std::max(config_.max_access_unit_bytes, config_.max_snapshot_bytes);
  if (config_.snapshot_cameras.empty()) config_.snapshot_cameras = config_.cameras;
}

Hub::~Hub() {
  for (auto& play : watched_)
    if (play->client) play->client->close();
  for (auto& play : probes_)
    if (play->client) play->client->close();
}

HubCounters Hub::counters() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->counters;
}

std::size_t Hub::streaming_count() const {
  std::size_t n = 0;
  for (const auto& play : watched_) n += play->streaming ? 1 : 0;
  return n;
}

void Hub::start() {
  asio::dispatch(io_, [self = shared_from_this()] {
    if (self->started_ || self->stopped_) return;
    self->started_ = true;
    for (const std::string& camera : self->config_.cameras) {
      self->watched_.push_back(self->make_play(camera, false));
      self->dial(self->watched_.back());
    }
    auto shared = self->shared_;
    if (self->config_.http_port != 0) {
      self->snapshot_stream_ = self->pool_.open_stream(
          [shared](DecodeJob& job) {
            const ByteView body = job.data.empty() ? ByteView{} : ByteView(job.data.front());
            media::SnapshotIdentity identity = media::identify_jpeg(body, shared->limits);
            shared->update([&](HubCounters& c) {
              if (identity.status == DecodeStatus::not_media) ++c.snapshot_not_jpeg;
            });
            Observation o;
            o.kind = DeliveryKind::snapshot;
            o.requested_camera = job.source;
            o.probe = job.probe;
            o.received_at = job.received_at;
            o.pixel_code = identity.pixel_code;
            o.status = identity.status;
            shared->deliver(o, identity.picture);
          },
          self->config_.max_queued_access_units);
    }
    if (self->config_.snapshot_interval > Micros{0} && self->config_.http_port != 0) {
      self->arm_snapshot_timer();
    }
    if (self->config_.probe_interval > Micros{0}) self->arm_probe_timer();
  });
}

void Hub::force_reconnect() {
  asio::dispatch(io_, [self = shared_from_this()] {
    if (!self->started_ || self->stopped_) return;
    for (auto& play : self->watched_) {
      if (play->client) self->shared_->update([](HubCounters& c) { ++c.forced_redials; });
      self->drop_connection(*play);
      play->redial_timer.cancel();
      play->backoff.reset();
      self->dial(play);
    }
  });
}

void Hub::retry_now(const std::string& camera) {
  asio::dispatch(io_, [self = shared_from_this(), camera] {
    if (!self->started_ || self->stopped_) return;
    for (auto& play : self->watched_) {
      if (play->camera != camera || play->client) continue;
      play->redial_timer.cancel();
      play->backoff.reset();
      self->dial(play);
    }
  });
}

void Hub::stop() {
  asio::dispatch(io_, [self = shared_from_this()] {
    if (self->stopped_) return;
    self->stopped_ = true;
    self->shared_->stopped.store(true, std::memory_order_release);
    self->snapshot_timer_.cancel();
    self->probe_timer_.cancel();
    auto close = [&](const std::shared_ptr<Play>& play) {
      self->drop_connection(*play);
      play->redial_timer.cancel();
      play->hold_timer.cancel();
      if (play->decode) self->pool_.close_stream(play->decode);
    };
    for (auto& play : self->watched_) close(play);
    for (auto& play : self->probes_) close(play);
    self->probes_.clear();
    if (self->snapshot_stream_) self->pool_.close_stream(self->snapshot_stream_);
  });
}

std::shared_ptr<Hub::Play> Hub::make_play(const std::string& camera, bool probe) {
  auto play = std::make_shared<Play>(
      io_, camera, probe,
      Backoff(config_.backoff, rng_.child("backoff:" + camera + (probe ? ":probe" : ""))));
  auto state = std::make_shared<LiveDecoder>();
  state->camera = camera;
  state->probe = probe;
  play->decode = pool_.open_stream(
      [shared = shared_, state](DecodeJob& job) {
        if (!state->identifier) state->identifier.emplace(shared->key, shared->limits);
        if (job.generation != state->generation) {
          state->identifier->reset();
          state->generation = job.generation;
        }
        const media::FrameIdentity identity = state->identifier->identify(job.data);
        shared->update([&](HubCounters& c) {
          if (identity.status == DecodeStatus::ok) ++c.frames_decoded;
          if (identity.status == DecodeStatus::corrupt) ++c.frames_corrupt;
          if (identity.status == DecodeStatus::not_media) ++c.frames_not_media;
          if (!identity.sei) ++c.frames_without_sei;
          if (!identity.pixel_code) ++c.frames_without_pixel_code;
        });
        Observation o;
        o.kind = DeliveryKind::live_frame;
        o.requested_camera = state->camera;
        o.probe = state->probe;
        o.received_at = job.received_at;
        o.sei = identity.sei;
        o.pixel_code = identity.pixel_code;
        o.status = identity.status;
        shared->deliver(o, state->identifier->picture());
      },
      config_.max_queued_access_units);
  return play;
}

void Hub::dial(const std::shared_ptr<Play>& play) {
  if (stopped_) return;
  const uint64_t generation = ++play->generation;
  ++play->dials;
  if (!config_.issue_play) return open_play(play, generation, play_url(config_, play->camera));
  const Micros invoked_at = clock_.now();
  config_.issue_play(io_, play->camera,
                     [self = shared_from_this(), play, generation, invoked_at](IssuedPlay issued) {
                       if (play->generation != generation || self->stopped_) return;
                       if (play->probe && issued.status >= 200 && issued.status < 300)
                         return self->probe_granted_by_issuer(play, invoked_at, issued.status);
                       if (!issued.error)
                         return self->open_play(play, generation,
                                                play_url_with(self->config_, issued.target));
                       self->shared_->update([&](HubCounters& c) {
                         if (play->probe)
                           ++c.probes_sent;
                         else
                           ++c.play_attempts;
                       });
                       self->on_play_done(play, generation, invoked_at, *issued.error, "");
                     });
}

void Hub::open_play(const std::shared_ptr<Play>& play, uint64_t generation,
                    const std::string& url) {
  rtsp::RtspClientOptions options;
  options.url = url;
  rtsp::use_credentials(options, config_.credentials.value_or(rtsp::ClientCredentials{
                                     .user = config_.account, .password = config_.token}));
  if (config_.scheme == "rtsps") {
    options.tls = config_.tls;
    options.tls_server_name = config_.tls_server_name;
  }
  options.transport = config_.transport;
  options.udp_router = config_.udp_router;
  options.connect_timeout = config_.connect_timeout;
  options.request_timeout = config_.request_timeout;
  options.conformance = conformance_;
  options.seed = Rng::derive(rng_.seed(), play->camera + ":dial:" + std::to_string(play->dials));
  if (config_.send_resume_hint && !play->probe && !play->resume_session.empty()) {
    options.resume_session = play->resume_session;
    shared_->update([](HubCounters& c) { ++c.resume_hints_sent; });
  }
  play->client = rtsp::RtspClient::create(io_, std::move(options));
  play->report_ssrc = static_cast<uint32_t>(rng_.next_u64());
  play->last_report.reset();
  play->reported_received = 0;
  play->reported_lost = 0;

  rtsp::H264DepacketizerConfig depacketizer;
  depacketizer.reorder_window = config_.reorder_window;
  depacketizer.max_access_unit_bytes = config_.max_access_unit_bytes;
  Play* raw = play.get();  // the depacketizer lives inside the play, so the pointer outlives it
  play->depacketizer.emplace(depacketizer, [this, raw, generation](rtsp::ReceivedAccessUnit&& au) {
    DecodeJob job;
    job.data = std::move(au.nals);
    job.received_at = clock_.now();
    job.generation = generation;
    const bool queued = pool_.submit(raw->decode, std::move(job));
    shared_->update([&](HubCounters& c) {
      ++c.access_units_complete;
      if (!queued) ++c.access_units_dropped;
    });
  });

  auto self = shared_from_this();
  play->client->on_rtp([self, play, generation](std::span<const uint8_t> packet) {
    if (play->generation != generation || !play->depacketizer) return;
    play->last_media = self->clock_.now();
    play->depacketizer->push(packet);
    self->send_receiver_report(*play, play->last_media);
  });
  play->client->on_session_error([self, play, generation](const rtsp::ClientError&) {
    if (play->generation != generation || self->stopped_) return;
    self->on_play_lost(play, false);
  });
  if (play->probe)
    shared_->update([](HubCounters& c) { ++c.probes_sent; });
  else
    shared_->update([](HubCounters& c) { ++c.play_attempts; });
  const Micros invoked_at = clock_.now();
  play->client->play([self, play, generation, invoked_at](const rtsp::ClientError& error,
                                                          const rtsp::SessionInfo& info) {
    if (!error && play->generation == generation && play->depacketizer) {
      for (const auto& entry : info.rtp_info) {
        if (entry.seq) {
          play->depacketizer->expect_first_sequence(*entry.seq);
          break;
        }
      }
    }
    self->on_play_done(play, generation, invoked_at, error, info.session.id);
  });
}

void Hub::send_receiver_report(Play& play, Micros now) {
  if (!play.client || !play.depacketizer || !play.depacketizer->started()) return;
  if (!play.last_report) {
    play.last_report = now;  // the first report covers one interval
    return;
  }
  if (now - *play.last_report < config_.rtcp_interval) return;
  play.last_report = now;
  const auto& counters = play.depacketizer->counters();
  const uint64_t received = counters.packets_received - play.reported_received;
  const uint64_t lost = counters.packets_lost - play.reported_lost;
  play.reported_received = counters.packets_received;
  play.reported_lost = counters.packets_lost;
  const uint64_t expected = received + lost;
  rtsp::RtcpReportBlock block{
      .ssrc = play.depacketizer->ssrc(),
      .fraction_lost =
          static_cast<uint8_t>(expected == 0 ? 0 : std::min<uint64_t>(255, lost * 256 / expected)),
      .cumulative_lost = static_cast<int32_t>(std::min<uint64_t>(counters.packets_lost, 0x7FFFFF)),
      .highest_sequence = play.depacketizer->extended_highest_sequence()};
  std::vector<uint8_t> packet;
  rtsp::append_rtcp_rr(packet,
                       rtsp::RtcpReceiverReport{.ssrc = play.report_ssrc, .reports = {block}});
  if (play.client->send_rtcp(packet))
    shared_->update([](HubCounters& c) { ++c.rtcp_reports_sent; });
}

void Hub::emit(Operation op) {
  op.id = shared_->ids.next();
  op.process = config_.name;
  op.account = config_.account;
  if (on_operation_) on_operation_(op);
}

void Hub::on_play_done(const std::shared_ptr<Play>& play, uint64_t generation, Micros invoked_at,
                       const rtsp::ClientError& error, const std::string& session_id) {
  Operation op;
  op.type = play->probe ? OperationType::probe_play : OperationType::play;
  op.camera = play->camera;
  op.invoked_at = invoked_at;
  op.completed_at = clock_.now();
  op.completion = completion_of(error);
  op.status_code = error.ok() ? 200 : error.status;
  op.detail = error.ok() ? "PLAY accepted" : error.describe();
  shared_->update([&](HubCounters& c) {
    if (play->probe) {
      if (op.completion == CompletionType::ok) ++c.probes_granted;
      if (op.completion == CompletionType::fail) ++c.probes_refused;
      if (op.completion == CompletionType::info) ++c.probes_indeterminate;
    } else {
      if (op.completion == CompletionType::ok) ++c.play_ok;
      if (op.completion == CompletionType::fail) ++c.play_failed;
      if (op.completion == CompletionType::info) ++c.play_indeterminate;
    }
  });
  emit(std::move(op));

  if (generation != play->generation || stopped_) return;
  if (error) {
    if (play->probe) return finish_probe(play);
    drop_connection(*play);
    return schedule_redial(play);
  }
  play->streaming = true;
  play->resume_session = session_id;
  play->backoff.reset();
  play->last_media = clock_.now();
  arm_watchdog(play);
  if (play->probe) {
    // Granted: keep the session a moment so the frames it leaks are observed (probe = true).
    play->hold_timer.expires_after(config_.probe_hold);
    play->hold_timer.async_wait(
        [self = shared_from_this(), play](const boost::system::error_code& ec) {
          if (!ec) self->finish_probe(play);
        });
  }
}

void Hub::on_play_lost(const std::shared_ptr<Play>& play, bool stall) {
  shared_->update([&](HubCounters& c) {
    if (stall)
      ++c.stalls;
    else
      ++c.sessions_lost;
  });
  drop_connection(*play);
  if (play->probe) return finish_probe(play);
  schedule_redial(play);
}

void Hub::drop_connection(Play& play) {
  ++play.generation;
  play.streaming = false;
  play.watchdog.cancel();
  if (play.depacketizer) {
    const rtsp::DepacketizerCounters& d = play.depacketizer->counters();
    shared_->update([&](HubCounters& c) {
      c.rtp_packets += d.packets_received;
      c.rtp_invalid += d.packets_invalid;
      c.rtp_lost += d.packets_lost;
      c.rtp_garbage_bytes += d.bytes_garbage;
      c.access_units_incomplete += d.frames_incomplete;
      c.access_units_oversize += d.frames_oversize;
    });
    play.depacketizer.reset();
  }
  // close() may run the pending play completion synchronously: detach the client first (the
  // generation bump above already makes its callbacks stale).
  if (auto client = std::move(play.client)) {
    const rtsp::ClientCounters& cc = client->counters();
    const rtsp::ParserCounters& p = client->parser_counters();
    shared_->update([&](HubCounters& c) {
      c.sut_parse_errors += cc.parse_errors;
      c.sut_unmatched_responses += cc.unmatched_responses;
      c.sut_bad_messages += p.bad_messages + p.bogus_interleaved + p.header_too_large +
                            p.body_too_large + p.bad_content_length + p.missing_cseq;
      c.sut_garbage_bytes += p.bytes_garbage;
    });
    client->close();
  }
}

void Hub::schedule_redial(const std::shared_ptr<Play>& play) {
  if (stopped_) return;
  play->redial_timer.expires_after(play->backoff.next());
  play->redial_timer.async_wait([self = shared_from_this(), play, generation = play->generation](
                                    const boost::system::error_code& ec) {
    if (ec || generation != play->generation || self->stopped_) return;
    self->dial(play);
  });
}

void Hub::arm_watchdog(const std::shared_ptr<Play>& play) {
  const Micros deadline = play->last_media + config_.media_timeout;
  play->watchdog.expires_after(std::max(deadline - clock_.now(), Micros{1000}));
  play->watchdog.async_wait([self = shared_from_this(), play,
                             generation = play->generation](const boost::system::error_code& ec) {
    if (ec || generation != play->generation || self->stopped_) return;
    if (self->clock_.now() - play->last_media >= self->config_.media_timeout) {
      return self->on_play_lost(play, true);
    }
    self->arm_watchdog(play);
  });
}

void Hub::probe_granted_by_issuer(const std::shared_ptr<Play>& play, Micros invoked_at,
                                  int status) {
  Operation op;
  op.type = OperationType::probe_play;
  op.camera = play->camera;
  op.invoked_at = invoked_at;
  op.completed_at = clock_.now();
  op.completion = CompletionType::ok;
  op.status_code = status;
  op.detail = "the SUT issued a stream URL (status " + std::to_string(status) +
              ") for a camera this account may not see";
  shared_->update([](HubCounters& c) {
    ++c.probes_sent;
    ++c.probes_granted;
  });
  emit(std::move(op));
  finish_probe(play);
}

void Hub::finish_probe(const std::shared_ptr<Play>& play) {
  drop_connection(*play);
  play->hold_timer.cancel();
  pool_.close_stream(play->decode);
  probes_.remove(play);
}

void Hub::arm_snapshot_timer() {
  snapshot_timer_.expires_after(config_.snapshot_interval);
  snapshot_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->stopped_) return;
    self->poll_snapshots();
    self->arm_snapshot_timer();
  });
}

void Hub::poll_snapshots() {
  for (const std::string& camera : config_.snapshot_cameras) request_snapshot(camera, false);
}

void Hub::request_snapshot(const std::string& camera, bool probe) {
  const std::string key = (probe ? "probe:" : "") + camera;
  if (!snapshots_in_flight_.insert(key).second) {
    shared_->update([&](HubCounters& c) {
      if (probe)
        ++c.probes_skipped_busy;
      else
        ++c.snapshots_skipped_busy;
    });
    return;
  }
  shared_->update([&](HubCounters& c) {
    if (probe)
      ++c.probes_sent;
    else
      ++c.snapshot_requests;
  });
  HttpGetRequest request;
  request.host = config_.http_host;
  request.port = config_.http_port;
  HttpTarget target = snapshot_request(config_, camera);
  request.target = std::move(target.target);
  request.headers = std::move(target.headers);
  if (config_.snapshot_tls) {
    request.tls = config_.tls;
    request.server_name = config_.snapshot_server_name;
  }
  request.timeout = config_.http_timeout;
  request.max_body_bytes = config_.max_snapshot_bytes;
  const Micros invoked_at = clock_.now();
  http_get(io_, std::move(request),
           [self = shared_from_this(), camera, probe, invoked_at, key](HttpGetResult&& result) {
             self->snapshots_in_flight_.erase(key);
             self->on_snapshot(camera, probe, invoked_at, std::move(result));
           });
}

void Hub::on_snapshot(const std::string& camera, bool probe, Micros invoked_at,
                      HttpGetResult&& result) {
  using Outcome = HttpGetResult::Outcome;
  Operation op;
  op.type = probe ? OperationType::probe_snapshot : OperationType::snapshot;
  op.camera = camera;
  op.invoked_at = invoked_at;
  op.completed_at = clock_.now();
  op.status_code = result.status;  // 0 unless a status line arrived
  const bool got_image = result.outcome == Outcome::response && result.status == 200;
  if (probe && result.headers_received) {
    // DESIGN.md verdict rules: the status is the SUT's answer to "may this account see it?". A
    // 2xx grants it whatever then happens to the body (over the cap, endless, cut, late).
    op.completion = result.status / 100 == 2 ? CompletionType::ok : CompletionType::fail;
    op.detail = describe_answer(result, config_.max_snapshot_bytes);
  } else if (result.outcome == Outcome::response) {
    op.completion = got_image ? CompletionType::ok : CompletionType::fail;
    op.detail = "HTTP " + std::to_string(result.status);
  } else if (result.outcome == Outcome::connect_failed || result.outcome == Outcome::bad_request ||
             !result.request_sent) {
    op.completion = CompletionType::fail;
    op.detail = std::string(to_string(result.outcome)) + ": " + result.message;
  } else {
    // A probe without a status (cut or timed out before one, garbage): whether the SUT would
    // have handed the picture over is unknown. A snapshot whose body was not read to its end is
    // not a frame either, whatever its status.
    op.completion = CompletionType::info;
    op.detail = std::string(to_string(result.outcome)) + ": " + result.message;
  }
  shared_->update([&](HubCounters& c) {
    if (probe) {
      if (op.completion == CompletionType::ok) ++c.probes_granted;
      if (op.completion == CompletionType::fail) ++c.probes_refused;
      if (op.completion == CompletionType::info) ++c.probes_indeterminate;
      return;
    }
    if (got_image)
      ++c.snapshot_ok;
    else if (result.outcome == Outcome::response && is_refusal(result.status))
      ++c.snapshot_refused;
    else if (result.outcome == Outcome::too_large)
      ++c.snapshot_too_large;
    else if (op.completion == CompletionType::info)
      ++c.snapshot_cut;
    else
      ++c.snapshot_errors;
  });
  emit(std::move(op));

  if (!got_image || stopped_ || !snapshot_stream_) return;
  DecodeJob job;
  job.data.push_back(std::move(result.body));
  job.received_at = clock_.now();
  job.source = camera;
  job.probe = probe;
  if (!pool_.submit(snapshot_stream_, std::move(job))) {
    shared_->update([](HubCounters& c) { ++c.snapshots_dropped; });
  }
}

void Hub::arm_probe_timer() {
  probe_timer_.expires_after(config_.probe_interval);
  probe_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->stopped_) return;
    self->send_probe();
    self->arm_probe_timer();
  });
}

void Hub::send_probe() {
  const std::string& target = config_.probe_targets[probe_rng_.below(config_.probe_targets.size())];
  // Alternate RTSP play and snapshot probes (play only when there is no HTTP endpoint).
  const bool play = config_.http_port == 0 || probes_sent_++ % 2 == 0;
  if (!play) return request_snapshot(target, true);
  for (const auto& active : probes_) {
    if (active->camera == target) {
      shared_->update([](HubCounters& c) { ++c.probes_skipped_busy; });
      return;
    }
  }
  probes_.push_back(make_play(target, true));
  dial(probes_.back());
}

}  // namespace camleak::emulators
