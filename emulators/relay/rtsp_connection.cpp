#include "emulators/relay/rtsp_connection.hpp"

#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <cstdio>

#include "emulators/relay/relay_core.hpp"
#include "emulators/rtsp/auth.hpp"
#include "emulators/rtsp/headers.hpp"
#include "emulators/rtsp/rtcp.hpp"
#include "emulators/rtsp/sdp.hpp"
#include "emulators/rtsp/url.hpp"
#include "harness/core/overloaded.hpp"

namespace camleak::relay {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kMaxNonces = 8;
// A connection that has not sent a single request within this time is a flood or a probe.
constexpr auto kFirstRequestTimeout = std::chrono::seconds(10);

std::string random_hex(Rng& rng) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng.next_u64()));
  return buf;
}

Rng& connection_rng() {
  // Nonces and SSRCs only need to be unpredictable enough for a test relay; seeded once per
  // thread from the steady clock.
  thread_local Rng rng(Rng::derive(
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()),
      "relay/connection"));
  return rng;
}

}  // namespace

RtspConnection::RtspConnection(RelayCore& core, tcp::socket socket, uint64_t id)
    : core_(core),
      stream_(std::move(socket)),
      socket_(stream_.next_layer()),
      id_(id),
      read_buf_(kReadChunk),
      parser_([&] {
        rtsp::ParserLimits limits;
        limits.max_header_bytes = core.config().limits.max_header_bytes;
        limits.max_body_bytes = core.config().limits.max_body_bytes;
        return limits;
      }()),
      transport_(socket_, core.counters) {
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  if (!ec) peer_ = remote.address().to_string() + ":" + std::to_string(remote.port());
  last_activity_ = core_.now();
}

RtspConnection::~RtspConnection() = default;

void RtspConnection::start() {
  boost::system::error_code ec;
  socket_.set_option(tcp::no_delay(true), ec);
  transport_.set_receiver(weak_from_this());
  if (core_.tls) return handshake();
  read_more();
}

// A handshake that never completes is closed by housekeeping like a connection that never
// sends a request (kFirstRequestTimeout).
void RtspConnection::handshake() {
  stream_.start_tls(*core_.tls)
      .async_handshake(asio::ssl::stream_base::server,
                       [self = shared_from_this()](const boost::system::error_code& ec) {
                         if (self->closed_) return;
                         if (ec) {
                           ++self->core_.counters.tls_handshake_failures;
                           self->close(CloseReason::peer_closed);
                           return;
                         }
                         self->last_activity_ = self->core_.now();
                         self->read_more();
                       });
}

// ---------------------------------------------------------------- input

void RtspConnection::read_more() {
  if (closed_) return;
  stream_.async_read_some(
      asio::buffer(read_buf_),
      [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
        if (self->closed_) return;
        if (ec) {
          self->close(CloseReason::peer_closed);
          return;
        }
        self->last_activity_ = self->core_.now();
        self->parser_.feed(std::span<const uint8_t>(self->read_buf_.data(), n));
        self->process_input();
        self->read_more();
      });
}

void RtspConnection::process_input() {
  while (!closed_) {
    rtsp::StreamItem item = parser_.next();
    if (std::holds_alternative<std::monostate>(item)) break;
    if (auto* request = std::get_if<rtsp::Request>(&item)) {
      ++core_.counters.rtsp_requests;
      had_request_ = true;
      handle_request(std::move(*request));
    } else if (auto* frame = std::get_if<rtsp::InterleavedFrame>(&item)) {
      handle_interleaved(*frame);
    } else if (auto* error = std::get_if<rtsp::ParseError>(&item)) {
      ++core_.counters.rtsp_parse_errors;
      if (error->fatal) {
        if (error->code == rtsp::ParseErrorCode::header_too_large ||
            error->code == rtsp::ParseErrorCode::body_too_large) {
          rtsp::Response response;
          response.status = error->code == rtsp::ParseErrorCode::header_too_large ? 431 : 413;
          response.reason = std::string(rtsp::reason_phrase(response.status));
          response.headers.set("Connection", "close");
          queue_bytes(rtsp::to_string(response));
          flush();
        }
        ++core_.counters.rtsp_fatal_framing;
        close_after_flush_ = true;
        close_reason_ = CloseReason::framing;
        if (!writing_) close(CloseReason::framing);
        break;
      }
    }
    // A response from the client (to nothing we asked) is ignored.
  }
  const auto& c = parser_.counters();
  core_.counters.rtsp_garbage_bytes += c.bytes_garbage - parser_seen_.bytes_garbage;
  parser_seen_ = c;
}

void RtspConnection::handle_request(rtsp::Request&& request) {
  if (close_after_flush_) return;
  const std::string& m = request.method;
  if (m == "OPTIONS") return on_options(request);
  if (m == "DESCRIBE") return on_describe(request);
  if (m == "ANNOUNCE") return on_announce(request);
  if (m == "SETUP") return on_setup(request);
  if (m == "PLAY") return on_play(request);
  if (m == "RECORD") return on_record(request);
  if (m == "TEARDOWN") return on_teardown(request);
  if (m == "GET_PARAMETER" || m == "SET_PARAMETER") return on_keepalive(request);
  if (m == "PAUSE") return reply_status(request, 455, "PAUSE is not supported on live streams");
  ++core_.counters.rtsp_bad_requests;
  reply_status(request, 501, "unknown method");
}

void RtspConnection::handle_interleaved(const rtsp::InterleavedFrame& frame) {
  PublisherSession* publisher = this->publisher();
  if (frame.channel == transport_.rtp_channel() && publisher != nullptr) {
    publisher->on_rtp(frame.payload);
  } else if (frame.channel == transport_.rtcp_channel()) {
    handle_rtcp(frame.payload);
  }
}

void RtspConnection::on_udp_rtp(std::span<const uint8_t> packet) {
  last_activity_ = core_.now();
  if (PublisherSession* publisher = this->publisher()) publisher->on_rtp(packet);
}

void RtspConnection::on_udp_rtcp(std::span<const uint8_t> packet) {
  last_activity_ = core_.now();  // receiver reports keep a UDP session alive
  handle_rtcp(packet);
}

// RTCP (receiver reports from viewers, sender reports from cameras) only proves liveness, which
// receiving it already recorded; it is counted so a test can see it arrive.
void RtspConnection::handle_rtcp(std::span<const uint8_t> packet) {
  const auto compound = rtsp::parse_rtcp(packet);
  if (!compound) {
    ++core_.counters.rtcp_invalid;
    return;
  }
  core_.counters.rtcp_sender_reports_in += compound->sender_reports.size();
  core_.counters.rtcp_receiver_reports_in += compound->receiver_reports.size();
}

// ---------------------------------------------------------------- auth

std::optional<RtspConnection::Principal> RtspConnection::authenticate(const rtsp::Request& request,
                                                                      PrincipalKind kind) {
  const auto secret_of = [&](const std::string& user) -> const std::string* {
    if (kind == PrincipalKind::account) {
      const AccountRecord* a = core_.provisioning.account(user);
      return a ? &a->token : nullptr;
    }
    const CameraRecord* c = core_.provisioning.camera(user);
    return c ? &c->secret : nullptr;
  };
  const std::string_view header = request.headers.get("Authorization");
  std::optional<Principal> principal;
  const bool cloud = core_.config().layout == Layout::cloud;
  if (cloud && kind == PrincipalKind::account) {
    // The cloud layout's viewers hold a ticket in the URL instead of credentials.
    principal = redeem_ticket(request);
  } else if (header.size() > 6 && rtsp::iequals(header.substr(0, 6), "Basic ")) {
    // The cloud layout takes Digest only: a cloud that refuses passwords in the clear.
    const auto basic = cloud ? std::nullopt : rtsp::parse_basic_authorization(header);
    if (basic) {
      const std::string* secret = secret_of(basic->user);
      if (secret != nullptr && secrets_equal(*secret, basic->password)) {
        principal = Principal{basic->user, basic->password};
      }
    }
  } else if (header.size() > 7 && rtsp::iequals(header.substr(0, 7), "Digest ")) {
    if (const auto digest = rtsp::parse_digest_authorization(header)) {
      const bool nonce_ours =
          std::find(nonces_.begin(), nonces_.end(), digest->nonce) != nonces_.end();
      const std::string* secret = secret_of(digest->username);
      if (nonce_ours && secret != nullptr && digest->realm == core_.config().realm &&
          rtsp::verify_digest(*digest, request.method, *secret)) {
        principal = Principal{digest->username, *secret};
      }
    }
  }
  if (!principal) {
    reply_unauthorized(request);
    return std::nullopt;
  }
  return principal;
}

std::optional<RtspConnection::Principal> RtspConnection::redeem_ticket(
    const rtsp::Request& request) {
  const auto path = stream_path(core_.config().layout, request.uri);
  if (!path || path->ticket.empty()) return std::nullopt;
  // A ticket starts a session; the requests of the session it started go on with it after
  // it would have expired for a new one (revocation is enforced on the grant, not the ticket).
  std::string account;
  if (path->ticket == redeemed_ticket_ && path->camera == redeemed_camera_) {
    account = redeemed_account_;
  } else if (auto holder = core_.tickets.redeem(path->ticket, path->camera, core_.now())) {
    account = std::move(*holder);
    redeemed_ticket_ = path->ticket;
    redeemed_account_ = account;
    redeemed_camera_ = path->camera;
  } else {
    return std::nullopt;
  }
  const AccountRecord* record = core_.provisioning.account(account);
  if (record == nullptr) return std::nullopt;
  return Principal{account, record->token};
}

bool RtspConnection::session_matches(const rtsp::Request& request) {
  const std::string* value = request.headers.find("Session");
  if (value == nullptr || !setup_done_) {
    reply_status(request, 454, "no session");
    return false;
  }
  const auto parsed = rtsp::parse_session(*value);
  if (!parsed || parsed->id != session_id_) {
    reply_status(request, 454, "unknown session");
    return false;
  }
  return true;
}

// ---------------------------------------------------------------- methods

void RtspConnection::on_options(const rtsp::Request& request) {
  rtsp::Response response;
  response.headers.set(
      "Public",
      "OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, TEARDOWN, GET_PARAMETER, SET_PARAMETER");
  reply(request, std::move(response));
}

std::optional<std::string> RtspConnection::camera_for(const rtsp::Request& request,
                                                      StreamPath::Role role) {
  const auto path = stream_path(core_.config().layout, request.uri);
  if (!path || !path->allows(role)) {
    ++core_.counters.not_found;
    reply_status(request, 404, "not a camera URL");
    return std::nullopt;
  }
  return path->camera;
}

void RtspConnection::on_describe(const rtsp::Request& request) {
  const auto camera = camera_for(request, StreamPath::Role::play);
  if (!camera) return;
  const auto principal = authenticate(request, PrincipalKind::account);
  if (!principal) return;
  if (core_.provisioning.camera(*camera) == nullptr) {
    ++core_.counters.not_found;
    return reply_status(request, 404, "unknown camera");
  }
  if (!core_.provisioning.can_view(principal->user, *camera)) return reply_unauthorized(request);

  rtsp::H264SdpParams params;
  if (const Channel* channel = core_.find_channel(*camera)) {
    params.sps = channel->sps;
    params.pps = channel->pps;
    params.profile_level_id = channel->profile_level_id;
  }
  if (params.sps.empty())
    params.profile_level_id = params.profile_level_id.empty() ? "42e01f" : params.profile_level_id;
  params.session_name = *camera;
  params.control = "streamid=0";
  boost::system::error_code ec;
  const auto local = socket_.local_endpoint(ec);
  if (!ec) params.origin_address = local.address().to_string();
  rtsp::Response response;
  response.headers.set("Content-Type", "application/sdp");
  std::string base(request.uri);
  if (!base.ends_with('/')) base += '/';
  response.headers.set("Content-Base", base);
  response.body = rtsp::build_h264_sdp(params);
  reply(request, std::move(response));
}

void RtspConnection::on_announce(const rtsp::Request& request) {
  PublisherSession* publisher = this->publisher();
  if (is_viewer() || (publisher != nullptr && publisher->recording())) {
    ++core_.counters.rtsp_bad_requests;
    return reply_status(request, 455, "this connection already has a session");
  }
  const auto camera = camera_for(request, StreamPath::Role::publish);
  if (!camera) return;
  const auto principal = authenticate(request, PrincipalKind::camera);
  if (!principal) return;
  if (principal->user != *camera)
    return reply_unauthorized(request);  // a camera publishes itself only
  if (rtsp::media_type(request.headers.get("Content-Type")) != "application/sdp") {
    ++core_.counters.sdp_rejected;
    ++core_.counters.rtsp_bad_requests;
    return reply_status(request, 415, "ANNOUNCE needs an application/sdp body");
  }
  std::string error;
  auto track = rtsp::parse_h264_sdp(request.body, &error);
  if (!track) {
    ++core_.counters.sdp_rejected;
    ++core_.counters.rtsp_bad_requests;
    return reply_status(request, 400, "SDP has no usable H.264 stream: " + error);
  }
  if (publisher != nullptr) {
    publisher->announce(*camera, std::move(*track));
  } else {
    role_.emplace<PublisherSession>(core_, id_, *camera, std::move(*track));
  }
  reply(request, rtsp::Response{});
}

void RtspConnection::on_setup(const rtsp::Request& request) {
  PublisherSession* publisher = this->publisher();
  const auto camera =
      camera_for(request, publisher ? StreamPath::Role::publish : StreamPath::Role::play);
  if (!camera) return;
  if (publisher) {
    return on_setup_record(request, *camera, *publisher);
  }
  on_setup_play(request, *camera);
}

void RtspConnection::on_setup_record(const rtsp::Request& request, const std::string& camera,
                                     PublisherSession& publisher) {
  const auto principal = authenticate(request, PrincipalKind::camera);
  if (!principal) return;
  if (principal->user != camera || camera != publisher.camera()) {
    return reply_unauthorized(request);
  }
  if (setup_done_) {
    // A further track (audio): accepted on other channels, its data ignored.
    auto transport = transport_.choose(request, rtsp::TransportMode::record);
    if (!transport) return reply_status(request, 461, "unsupported transport");
    rtsp::Response response;
    response.headers.set("Transport", rtsp::format_transport(*transport));
    return reply(request, std::move(response));
  }
  auto transport = transport_.choose(request, rtsp::TransportMode::record);
  if (!transport) {
    ++core_.counters.rtsp_bad_requests;
    return reply_status(request, 461, "offer RTP/AVP/TCP;interleaved or RTP/AVP;client_port");
  }
  transport_.adopt(*transport);
  setup_done_ = true;
  // Publish sessions are never resumed nor persisted: they stay out of the session table.
  session_id_ = random_hex(connection_rng());
  publisher.prepare_ingest(transport_.udp());
  rtsp::Response response;
  response.headers.set("Transport", rtsp::format_transport(*transport));
  reply(request, std::move(response));
}

void RtspConnection::on_setup_play(const rtsp::Request& request, const std::string& camera) {
  const auto principal = authenticate(request, PrincipalKind::account);
  if (!principal) return;
  if (core_.provisioning.camera(camera) == nullptr) {
    ++core_.counters.not_found;
    return reply_status(request, 404, "unknown camera");
  }
  if (setup_done_) {
    if (!session_matches(request)) return;
    auto transport = transport_.choose(request, rtsp::TransportMode::play);
    if (!transport) return reply_status(request, 461, "unsupported transport");
    rtsp::Response response;
    response.headers.set("Transport", rtsp::format_transport(*transport));
    return reply(request, std::move(response));
  }
  // The Session header on a first SETUP is a resume hint (a viewer back after a reconnect).
  std::string hint;
  if (const std::string* value = request.headers.find("Session")) {
    if (const auto parsed = rtsp::parse_session(*value)) hint = parsed->id;
  }
  const bool authorized = core_.provisioning.can_view(principal->user, camera);
  if (!authorized && !(core_.config().defects.restart_session_swap && !hint.empty() &&
                       core_.sessions.find(hint) != nullptr)) {
    return reply_unauthorized(request);
  }
  auto transport = transport_.choose(request, rtsp::TransportMode::play);
  if (!transport) {
    ++core_.counters.rtsp_bad_requests;
    return reply_status(request, 461, "offer RTP/AVP/TCP;interleaved or RTP/AVP;client_port");
  }
  const ResumeDecision decision = core_.sessions.open(principal->user, camera, id_, hint);
  switch (decision.kind) {
    case ResumeDecision::Kind::honoured:
    case ResumeDecision::Kind::rebound:
      ++core_.counters.session_resumes_honoured;
      break;
    case ResumeDecision::Kind::ignored:
      ++core_.counters.session_resumes_ignored;
      break;
    case ResumeDecision::Kind::fresh:
      break;
  }
  if (decision.kind != ResumeDecision::Kind::rebound && !authorized) {
    // Defect on but the hint named nothing to rebind to: the normal answer.
    core_.sessions.close(decision.session.id, id_);
    return reply_unauthorized(request);
  }
  core_.sessions_changed();
  setup_done_ = true;
  session_id_ = decision.session.id;
  transport_.adopt(*transport);
  const ViewerSession& viewer =
      role_.emplace<ViewerSession>(core_, *this, id_,
                                   PlaySetup{.session_id = decision.session.id,
                                             .account = decision.session.account,
                                             .camera = decision.session.camera,
                                             .auth_account = principal->user,
                                             .auth_token = principal->secret,
                                             .control_url = request.uri},
                                   connection_rng());
  transport->ssrc = viewer.ssrc();
  rtsp::Response response;
  response.headers.set("Transport", rtsp::format_transport(*transport));
  reply(request, std::move(response));
}

void RtspConnection::on_play(const rtsp::Request& request) {
  ViewerSession* viewer = this->viewer();
  if (viewer == nullptr) {
    ++core_.counters.rtsp_bad_requests;
    return reply_status(request, 455, "PLAY needs a play SETUP first");
  }
  if (!session_matches(request)) return;
  const auto principal = authenticate(request, PrincipalKind::account);
  if (!principal) return;
  if (!viewer->may_play(principal->user)) return reply_unauthorized(request);
  if (viewer->playing()) return reply(request, rtsp::Response{});
  reply(request, viewer->play_answer());
  viewer->start_play();
}

void RtspConnection::on_record(const rtsp::Request& request) {
  PublisherSession* publisher = this->publisher();
  if (publisher == nullptr) {
    ++core_.counters.rtsp_bad_requests;
    return reply_status(request, 455, "RECORD needs ANNOUNCE and SETUP first");
  }
  if (!session_matches(request)) return;
  const auto principal = authenticate(request, PrincipalKind::camera);
  if (!principal) return;
  if (principal->user != publisher->camera()) return reply_unauthorized(request);
  if (publisher->recording() || publisher->resolving()) return reply(request, rtsp::Response{});
  if (core_.seen_cameras.contains(publisher->camera())) {
    // A reconnect: resolve the channel through the mapping cache (see mapping_cache.hpp).
    ++core_.counters.mapping_lookups;
    publisher->await_channel();
    std::weak_ptr<RtspConnection> weak = shared_from_this();
    core_.mapping.lookup(publisher->camera(), [weak, request](const std::string& channel) {
      const auto self = weak.lock();
      if (!self || self->closed_) return;
      self->attach_ingest(*self->publisher(), channel);  // the role never changes
      self->reply(request, rtsp::Response{});
    });
    return;
  }
  ++core_.counters.mapping_authoritative;
  attach_ingest(*publisher, publisher->camera());
  reply(request, rtsp::Response{});
}

void RtspConnection::attach_ingest(PublisherSession& publisher, const std::string& channel_name) {
  Channel& channel = core_.channel(channel_name);
  if (channel.publisher != 0 && channel.publisher != id_) {
    // The camera reconnected while its old connection lingers (half-open after a partition).
    const auto old = core_.connections.find(channel.publisher);
    if (old != core_.connections.end()) {
      ++core_.counters.publish_sessions_replaced;
      old->second->close(CloseReason::replaced);
    }
  }
  publisher.attach(channel);
}

void RtspConnection::on_teardown(const rtsp::Request& request) {
  if (!setup_done_) return reply(request, rtsp::Response{});
  if (!session_matches(request)) return;
  reply(request, rtsp::Response{});
  close_after_flush_ = true;
  close_reason_ = CloseReason::teardown;
  if (!writing_) close(CloseReason::teardown);
}

void RtspConnection::on_keepalive(const rtsp::Request& request) {
  if (request.headers.has("Session") && !session_matches(request)) return;
  reply(request, rtsp::Response{});
}

// ---------------------------------------------------------------- output

std::string RtspConnection::session_header_value() const {
  const auto timeout =
      std::chrono::duration_cast<std::chrono::seconds>(core_.config().timeouts.session);
  return rtsp::format_session(rtsp::SessionHeader{
      session_id_, static_cast<uint32_t>(std::max<int64_t>(1, timeout.count()))});
}

void RtspConnection::reply(const rtsp::Request& request, rtsp::Response response) {
  if (closed_) return;
  if (response.reason.empty() || (response.status != 200 && response.reason == "OK")) {
    response.reason = std::string(rtsp::reason_phrase(response.status));
  }
  if (const auto cseq = request.cseq()) response.headers.set("CSeq", std::to_string(*cseq));
  if (setup_done_ && !session_id_.empty() && response.status < 300) {
    response.headers.set("Session", session_header_value());
  }
  response.headers.set("Server", "camleak-relay");
  std::string bytes;
  rtsp::append_response(bytes, response);
  queue_bytes(bytes);
  flush();
}

void RtspConnection::reply_status(const rtsp::Request& request, int status,
                                  const std::string& why) {
  rtsp::Response response;
  response.status = status;
  response.reason = std::string(rtsp::reason_phrase(status));
  if (!why.empty()) {
    response.headers.set("Content-Type", "text/plain");
    response.body = why + "\r\n";
  }
  reply(request, std::move(response));
}

void RtspConnection::reply_unauthorized(const rtsp::Request& request) {
  ++core_.counters.auth_failures;
  rtsp::Response response;
  response.status = 401;
  response.reason = "Unauthorized";
  std::string nonce = random_hex(connection_rng()) + random_hex(connection_rng());
  nonces_.push_back(nonce);
  if (nonces_.size() > kMaxNonces) nonces_.pop_front();
  rtsp::AuthChallenge digest{
      .scheme = rtsp::AuthScheme::digest, .realm = core_.config().realm, .nonce = nonce};
  response.headers.add("WWW-Authenticate", rtsp::format_challenge(digest));
  if (core_.config().layout != Layout::cloud)
    response.headers.add(
        "WWW-Authenticate",
        rtsp::format_challenge(rtsp::AuthChallenge{.realm = core_.config().realm}));
  reply(request, std::move(response));
}

void RtspConnection::queue_bytes(std::string_view bytes) {
  out_pending_.append(bytes);
}

void RtspConnection::send(const MediaFrame& frame, uint16_t& sequence, uint32_t ssrc) {
  transport_.send(frame, sequence, ssrc, out_pending_);
}

void RtspConnection::flush() {
  if (closed_ || writing_) return;
  if (out_pending_.empty()) {
    if (close_after_flush_) close(close_reason_);
    return;
  }
  out_writing_.swap(out_pending_);
  out_pending_.clear();
  writing_ = true;
  write_started_ = core_.now();
  asio::async_write(stream_, asio::buffer(out_writing_),
                    [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                      self->writing_ = false;
                      self->out_writing_.clear();
                      if (self->closed_) return;
                      if (ec) {
                        self->close(CloseReason::peer_closed);
                        return;
                      }
                      self->flush();
                    });
}

// ---------------------------------------------------------------- lifecycle

void RtspConnection::recheck_authorization() {
  const ViewerSession* viewer = this->viewer();
  if (closed_ || viewer == nullptr || viewer->authorized()) return;
  ++core_.counters.viewers_revoked;
  close(CloseReason::revoked);
}

void RtspConnection::housekeeping(Micros now) {
  if (closed_) return;
  const auto idle_limit =
      had_request_ ? std::chrono::duration_cast<Micros>(core_.config().timeouts.session)
                   : std::chrono::duration_cast<Micros>(std::min<std::chrono::milliseconds>(
                         core_.config().timeouts.session, kFirstRequestTimeout));
  if (writing_ && now - write_started_ > core_.config().timeouts.write_stall) {
    ++core_.counters.write_stalls;
    return close(CloseReason::write_stall);
  }
  PublisherSession* publisher = this->publisher();
  if (publisher != nullptr && publisher->silent(now)) {
    ++core_.counters.sessions_timed_out;
    return close(CloseReason::timeout);
  }
  // A recording camera is kept alive by its media (silent() above). Every other client keeps
  // its session alive with requests or RTCP (RFC 2326 section 12.37); RtspClient, FFmpeg and
  // GStreamer all do.
  const bool recording = publisher != nullptr && publisher->recording();
  if (!recording && now - last_activity_ > idle_limit) {
    ++core_.counters.sessions_timed_out;
    return close(CloseReason::timeout);
  }
  if (publisher != nullptr) publisher->release_stale_packets(now);
}

void RtspConnection::close(CloseReason reason) {
  if (closed_) return;
  const auto self = shared_from_this();  // the map below may hold the last reference
  closed_ = true;
  if (ViewerSession* viewer = this->viewer()) viewer->detach(reason == CloseReason::teardown);
  if (PublisherSession* publisher = this->publisher()) publisher->detach();
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  transport_.close();
  core_.connections.erase(id_);
}

boost::json::object RtspConnection::stats_json() const {
  boost::json::object out{{"connection", id_},
                          {"peer", peer_},
                          {"session", session_id_},
                          {"transport", transport_.udp() ? "udp" : "tcp"}};
  std::visit(overloaded{[](std::monostate) {},
                        [&](const PublisherSession& publisher) { publisher.add_stats(out); },
                        [&](const ViewerSession& viewer) { viewer.add_stats(out); }},
             role_);
  return out;
}

}  // namespace camleak::relay
