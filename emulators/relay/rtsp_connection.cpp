#include "emulators/relay/rtsp_connection.hpp"

#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <cstdio>

#include "emulators/h264/nal.hpp"
#include "emulators/relay/relay_core.hpp"
#include "emulators/rtsp/auth.hpp"
#include "emulators/rtsp/rtcp.hpp"
#include "emulators/rtsp/url.hpp"

namespace camleak::relay {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace {

constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kUdpBuffer = 65536;
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
  // thread from the OS random source through the session table's generator logic.
  thread_local Rng rng(Rng::derive(
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()),
      "relay/connection"));
  return rng;
}

}  // namespace

std::optional<std::string> camera_from_uri(std::string_view uri) {
  std::string path;
  if (uri.starts_with("rtsp://") || uri.starts_with("rtsps://") || uri.starts_with("RTSP://")) {
    const auto url = rtsp::parse_rtsp_url(uri);
    if (!url) return std::nullopt;
    path = url->path;
  } else {
    path = std::string(uri);
  }
  if (const size_t q = path.find('?'); q != std::string::npos) path.resize(q);
  constexpr std::string_view prefix = "/cameras/";
  if (!path.starts_with(prefix)) return std::nullopt;
  std::string name = path.substr(prefix.size());
  if (const size_t slash = name.find('/'); slash != std::string::npos) name.resize(slash);
  if (!check_name(name).empty()) return std::nullopt;
  return name;
}

RtspConnection::RtspConnection(RelayCore& core, tcp::socket socket, uint64_t id)
    : core_(core), socket_(std::move(socket)), id_(id), read_buf_(kReadChunk), parser_([&] {
        rtsp::ParserLimits limits;
        limits.max_header_bytes = core.config().limits.max_header_bytes;
        limits.max_body_bytes = core.config().limits.max_body_bytes;
        return limits;
      }()) {
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  if (!ec) peer_ = remote.address().to_string() + ":" + std::to_string(remote.port());
  last_activity_ = core_.now();
  ssrc_ = static_cast<uint32_t>(connection_rng().next_u64());
  sequence_ = static_cast<uint16_t>(connection_rng().next_u64());
}

RtspConnection::~RtspConnection() = default;

void RtspConnection::start() {
  boost::system::error_code ec;
  socket_.set_option(tcp::no_delay(true), ec);
  read_more();
}

// ---------------------------------------------------------------- input

void RtspConnection::read_more() {
  if (closed_) return;
  socket_.async_read_some(
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
          rtsp::Request none;
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
  if (frame.channel == rtp_channel_ && role_ == Role::publisher) {
    handle_rtp(frame.payload);
  } else if (frame.channel == rtcp_channel_) {
    handle_rtcp(frame.payload);
  }
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

void RtspConnection::handle_rtp(std::span<const uint8_t> packet) {
  if (!recording_ || !depacketizer_) return;  // before RECORD completed: nothing to feed
  ++core_.counters.rtp_packets_in;
  last_packet_ = core_.now();
  depacketizer_->push(packet);
  sync_depacketizer_counters();
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
  if (header.size() > 6 && rtsp::iequals(header.substr(0, 6), "Basic ")) {
    if (const auto basic = rtsp::parse_basic_authorization(header)) {
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

void RtspConnection::on_describe(const rtsp::Request& request) {
  const auto camera = camera_from_uri(request.uri);
  if (!camera) {
    ++core_.counters.not_found;
    return reply_status(request, 404, "not a camera URL");
  }
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
  if (role_ == Role::viewer || recording_) {
    ++core_.counters.rtsp_bad_requests;
    return reply_status(request, 455, "this connection already has a session");
  }
  const auto camera = camera_from_uri(request.uri);
  if (!camera) {
    ++core_.counters.not_found;
    return reply_status(request, 404, "not a camera URL");
  }
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
  camera_ = *camera;
  track_ = std::move(*track);
  role_ = Role::publisher;
  reply(request, rtsp::Response{});
}

void RtspConnection::on_setup(const rtsp::Request& request) {
  const auto camera = camera_from_uri(request.uri);
  if (!camera) {
    ++core_.counters.not_found;
    return reply_status(request, 404, "not a camera URL");
  }
  if (role_ == Role::publisher) return on_setup_record(request, *camera);
  on_setup_play(request, *camera);
}

std::optional<rtsp::TransportHeader> RtspConnection::choose_transport(const rtsp::Request& request,
                                                                      rtsp::TransportMode mode) {
  const auto offers = rtsp::parse_transport_list(request.headers.get("Transport"));
  for (const auto& offer : offers) {
    if (offer.protocol != "RTP/AVP" || !offer.unicast) continue;
    rtsp::TransportHeader answer;
    answer.unicast = true;
    if (offer.lower == rtsp::LowerTransport::tcp) {
      answer.lower = rtsp::LowerTransport::tcp;
      answer.interleaved = offer.interleaved.value_or(rtsp::PortPair{0, 1});
      if (answer.interleaved->first > 253 || answer.interleaved->second > 254) continue;
      if (mode == rtsp::TransportMode::record) answer.mode = mode;
      return answer;
    }
    if (!offer.client_port || offer.client_port->first == 0) continue;
    if (udp_) {
      // A second track's SETUP: keep the sockets of the first.
    } else if (!open_udp(*offer.client_port)) {
      continue;
    }
    answer.lower = rtsp::LowerTransport::udp;
    answer.client_port = offer.client_port;
    answer.server_port =
        rtsp::PortPair{udp_rtp_->local_endpoint().port(), udp_rtcp_->local_endpoint().port()};
    if (mode == rtsp::TransportMode::record) answer.mode = mode;
    return answer;
  }
  return std::nullopt;
}

void RtspConnection::on_setup_record(const rtsp::Request& request, const std::string& camera) {
  const auto principal = authenticate(request, PrincipalKind::camera);
  if (!principal) return;
  if (principal->user != camera || camera != camera_) return reply_unauthorized(request);
  if (setup_done_) {
    // A further track (audio): accepted on other channels, its data ignored.
    auto transport = choose_transport(request, rtsp::TransportMode::record);
    if (!transport) return reply_status(request, 461, "unsupported transport");
    rtsp::Response response;
    response.headers.set("Transport", rtsp::format_transport(*transport));
    return reply(request, std::move(response));
  }
  auto transport = choose_transport(request, rtsp::TransportMode::record);
  if (!transport) {
    ++core_.counters.rtsp_bad_requests;
    return reply_status(request, 461, "offer RTP/AVP/TCP;interleaved or RTP/AVP;client_port");
  }
  if (transport->lower == rtsp::LowerTransport::tcp) {
    rtp_channel_ = static_cast<uint8_t>(transport->interleaved->first);
    rtcp_channel_ = static_cast<uint8_t>(transport->interleaved->second);
  }
  udp_ = transport->lower == rtsp::LowerTransport::udp;
  setup_done_ = true;
  // Publish sessions are never resumed nor persisted: they stay out of the session table.
  session_id_ = random_hex(connection_rng());
  rtsp::H264DepacketizerConfig dc;
  dc.payload_type = track_->payload_type;
  dc.max_access_unit_bytes = core_.config().limits.max_access_unit_bytes;
  dc.reorder_window = udp_ ? 32 : 0;
  depacketizer_ = std::make_unique<rtsp::H264Depacketizer>(
      dc, [this](rtsp::ReceivedAccessUnit&& au) { on_access_unit(std::move(au)); });
  packetizer_ = std::make_unique<rtsp::H264Packetizer>(rtsp::H264PacketizerConfig{});
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
    auto transport = choose_transport(request, rtsp::TransportMode::play);
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
  auto transport = choose_transport(request, rtsp::TransportMode::play);
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
  role_ = Role::viewer;
  setup_done_ = true;
  session_id_ = decision.session.id;
  auth_account_ = principal->user;
  auth_token_ = principal->secret;
  account_ = decision.session.account;
  view_camera_ = decision.session.camera;
  control_url_ = request.uri;
  udp_ = transport->lower == rtsp::LowerTransport::udp;
  if (!udp_) {
    rtp_channel_ = static_cast<uint8_t>(transport->interleaved->first);
    rtcp_channel_ = static_cast<uint8_t>(transport->interleaved->second);
  }
  transport->ssrc = ssrc_;
  rtsp::Response response;
  response.headers.set("Transport", rtsp::format_transport(*transport));
  reply(request, std::move(response));
}

void RtspConnection::on_play(const rtsp::Request& request) {
  if (role_ != Role::viewer) {
    ++core_.counters.rtsp_bad_requests;
    return reply_status(request, 455, "PLAY needs a play SETUP first");
  }
  if (!session_matches(request)) return;
  const auto principal = authenticate(request, PrincipalKind::account);
  if (!principal) return;
  if (principal->user != auth_account_ || !core_.provisioning.can_view(account_, view_camera_)) {
    return reply_unauthorized(request);
  }
  if (playing_) return reply(request, rtsp::Response{});
  view_channel_ = &core_.channel(view_camera_);
  rtsp::Response response;
  response.headers.set("Range", "npt=0.000-");
  rtsp::RtpInfoEntry info{.url = control_url_, .seq = sequence_};
  const auto& gop = view_channel_->gop();
  if (!gop.empty()) info.rtptime = gop.front()->rtp_timestamp;
  response.headers.set("RTP-Info", rtsp::format_rtp_info({info}));
  reply(request, std::move(response));
  ++core_.counters.play_sessions_started;
  start_play();
}

void RtspConnection::on_record(const rtsp::Request& request) {
  if (role_ != Role::publisher || !track_) {
    ++core_.counters.rtsp_bad_requests;
    return reply_status(request, 455, "RECORD needs ANNOUNCE and SETUP first");
  }
  if (!session_matches(request)) return;
  const auto principal = authenticate(request, PrincipalKind::camera);
  if (!principal) return;
  if (principal->user != camera_) return reply_unauthorized(request);
  if (recording_ || resolving_) return reply(request, rtsp::Response{});
  if (core_.seen_cameras.contains(camera_)) {
    // A reconnect: resolve the channel through the mapping cache (see mapping_cache.hpp).
    ++core_.counters.mapping_lookups;
    resolving_ = true;
    std::weak_ptr<RtspConnection> weak = shared_from_this();
    core_.mapping.lookup(camera_, [weak, request](const std::string& channel) {
      const auto self = weak.lock();
      if (!self || self->closed_) return;
      self->resolving_ = false;
      self->attach_ingest(channel);
      self->reply(request, rtsp::Response{});
    });
    return;
  }
  ++core_.counters.mapping_authoritative;
  attach_ingest(camera_);
  reply(request, rtsp::Response{});
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
  response.headers.add("WWW-Authenticate",
                       rtsp::format_challenge(rtsp::AuthChallenge{.realm = core_.config().realm}));
  reply(request, std::move(response));
}

void RtspConnection::queue_bytes(std::string_view bytes) {
  out_pending_.append(bytes);
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
  asio::async_write(socket_, asio::buffer(out_writing_),
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

// ---------------------------------------------------------------- UDP

bool RtspConnection::open_udp(const rtsp::PortPair& client_ports) {
  boost::system::error_code ec;
  const auto local = socket_.local_endpoint(ec);
  if (ec) return false;
  const auto remote = socket_.remote_endpoint(ec);
  if (ec) return false;
  udp_rtp_.emplace(socket_.get_executor());
  udp_rtcp_.emplace(socket_.get_executor());
  const udp::endpoint bind_at(local.address(), 0);
  udp_rtp_->open(bind_at.protocol(), ec);
  if (!ec) udp_rtp_->bind(bind_at, ec);
  if (!ec) udp_rtcp_->open(bind_at.protocol(), ec);
  if (!ec) udp_rtcp_->bind(bind_at, ec);
  if (!ec) udp_rtp_->non_blocking(true, ec);
  if (ec) {
    udp_rtp_.reset();
    udp_rtcp_.reset();
    return false;
  }
  // Media only ever goes to the peer of this TCP connection, never to a `destination=` the
  // request may name (that would make the relay a traffic reflector).
  udp_peer_rtp_ = udp::endpoint(remote.address(), client_ports.first);
  udp_ = true;
  udp_buf_.resize(kUdpBuffer);
  udp_rtcp_buf_.resize(2048);
  receive_udp_rtp();
  receive_udp_rtcp();
  return true;
}

void RtspConnection::receive_udp_rtp() {
  if (closed_ || !udp_rtp_) return;
  udp_rtp_->async_receive_from(
      asio::buffer(udp_buf_), udp_from_,
      [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
        if (self->closed_ || ec == asio::error::operation_aborted) return;
        if (!ec) {
          if (self->udp_from_.address() != self->udp_peer_rtp_.address()) {
            ++self->core_.counters.rtp_packets_foreign;
          } else {
            self->last_activity_ = self->core_.now();
            self->handle_rtp(std::span<const uint8_t>(self->udp_buf_.data(), n));
          }
        }
        self->receive_udp_rtp();
      });
}

void RtspConnection::receive_udp_rtcp() {
  if (closed_ || !udp_rtcp_) return;
  udp_rtcp_->async_receive_from(
      asio::buffer(udp_rtcp_buf_), udp_from_,
      [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
        if (self->closed_ || ec == asio::error::operation_aborted) return;
        if (!ec && self->udp_from_.address() == self->udp_peer_rtp_.address()) {
          self->last_activity_ = self->core_.now();  // receiver reports keep a UDP session alive
          self->handle_rtcp(std::span<const uint8_t>(self->udp_rtcp_buf_.data(), n));
        }
        self->receive_udp_rtcp();
      });
}

// ---------------------------------------------------------------- publish

void RtspConnection::attach_ingest(const std::string& channel_name) {
  Channel& channel = core_.channel(channel_name);
  if (channel.publisher != 0 && channel.publisher != id_) {
    // The camera reconnected while its old connection lingers (half-open after a partition).
    const auto old = core_.connections.find(channel.publisher);
    if (old != core_.connections.end()) {
      ++core_.counters.publish_sessions_replaced;
      old->second->close(CloseReason::replaced);
    }
  }
  channel.publisher = id_;
  if (!track_->sps.empty()) channel.sps = track_->sps;
  if (!track_->pps.empty()) channel.pps = track_->pps;
  if (!track_->profile_level_id.empty()) channel.profile_level_id = track_->profile_level_id;
  ingest_channel_ = &channel;
  core_.seen_cameras.insert(camera_);
  recording_ = true;
  last_packet_ = core_.now();
  ++core_.counters.publish_sessions_started;
}

void RtspConnection::on_access_unit(rtsp::ReceivedAccessUnit&& au) {
  if (ingest_channel_ == nullptr) return;
  ++core_.counters.frames_in;
  Channel& channel = *ingest_channel_;
  for (const auto& nal : au.nals) {
    const uint8_t type = h264::nal_unit_type(nal);
    if (type == h264::nal_type::sps && nal.size() >= 4 && nal.size() <= 256) {
      channel.sps = nal;
      char pli[7];
      std::snprintf(pli, sizeof pli, "%02x%02x%02x", nal[1], nal[2], nal[3]);
      channel.profile_level_id = pli;
    } else if (type == h264::nal_type::pps && nal.size() >= 2 && nal.size() <= 256) {
      channel.pps = nal;
    }
  }
  const FramePtr frame = build_frame(au, ++frame_index_, *packetizer_, channel.sps, channel.pps);
  if (channel.push(frame)) ++core_.counters.gop_cache_overflows;
}

void RtspConnection::sync_depacketizer_counters() {
  const auto& c = depacketizer_->counters();
  auto& out = core_.counters;
  out.frames_incomplete += c.frames_incomplete - depacketizer_seen_.frames_incomplete;
  out.frames_oversize += c.frames_oversize - depacketizer_seen_.frames_oversize;
  out.rtp_packets_invalid +=
      (c.packets_invalid - depacketizer_seen_.packets_invalid) +
      (c.packets_wrong_payload_type - depacketizer_seen_.packets_wrong_payload_type);
  depacketizer_seen_ = c;
}

// ---------------------------------------------------------------- play

void RtspConnection::start_play() {
  playing_ = true;
  need_keyframe_ = true;
  view_channel_->add_viewer(this);
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
      flush();
      return;
    }
  }
  for (const auto& frame : view_channel_->gop()) {
    send_frame(frame);
    ++core_.counters.fast_start_frames;
    need_keyframe_ = false;
  }
  flush();
}

void RtspConnection::deliver(const FramePtr& frame) {
  if (!playing_ || closed_) return;
  if (need_keyframe_) {
    if (!frame->keyframe) return;  // nothing decodable before the first keyframe
    need_keyframe_ = false;
  }
  if (dropping_ && !frame->keyframe) {
    ++frames_dropped_;
    ++core_.counters.frames_dropped;
    return;
  }
  if (!udp_ && queued_bytes() + frame->wire.size() > core_.config().limits.max_viewer_queue_bytes) {
    // Slow viewer: drop this frame and everything up to the next keyframe (a decoder cannot
    // use P-frames after a gap anyway).
    dropping_ = true;
    ++frames_dropped_;
    ++core_.counters.frames_dropped;
    return;
  }
  dropping_ = false;
  send_frame(frame);
  flush();
}

void RtspConnection::send_frame(const FramePtr& frame) {
  if (slot_) core_.slots.record_sent(*slot_, frame);
  ++frames_out_;
  ++core_.counters.frames_out;
  bytes_out_ += frame->wire.size();
  if (!udp_) {
    const size_t base = out_pending_.size();
    out_pending_.append(reinterpret_cast<const char*>(frame->wire.data()), frame->wire.size());
    auto* bytes = reinterpret_cast<uint8_t*>(out_pending_.data() + base);
    for (uint32_t offset : frame->packet_offsets) {
      patch_packet(bytes + offset, rtp_channel_, sequence_++, ssrc_);
    }
    return;
  }
  if (!udp_rtp_) return;
  for (size_t i = 0; i < frame->packet_count(); ++i) {
    const auto packet = frame->packet(i);
    udp_scratch_.assign(4, 0);
    udp_scratch_.insert(udp_scratch_.end(), packet.begin(), packet.end());
    patch_packet(udp_scratch_.data(), 0, sequence_++, ssrc_);
    boost::system::error_code ec;
    udp_rtp_->send_to(asio::buffer(udp_scratch_.data() + 4, packet.size()), udp_peer_rtp_, 0, ec);
    if (ec) ++core_.counters.udp_send_drops;
  }
}

void RtspConnection::detach_viewer(bool clean) {
  if (view_channel_ != nullptr) view_channel_->remove_viewer(this);
  view_channel_ = nullptr;
  playing_ = false;
  if (slot_) core_.slots.release(*slot_, clean);
  slot_.reset();
  if (!session_id_.empty()) {
    if (clean) {
      core_.sessions.close(session_id_, id_);
    } else {
      core_.sessions.detach(session_id_, id_, core_.now());
    }
    core_.sessions_changed();
  }
}

// ---------------------------------------------------------------- lifecycle

void RtspConnection::recheck_authorization() {
  if (closed_ || role_ != Role::viewer || !setup_done_) return;
  const bool ok = core_.provisioning.token_valid(auth_account_, auth_token_) &&
                  core_.provisioning.can_view(account_, view_camera_);
  if (!ok) {
    ++core_.counters.viewers_revoked;
    close(CloseReason::revoked);
  }
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
  if (recording_ && now - last_packet_ > core_.config().timeouts.ingest) {
    ++core_.counters.sessions_timed_out;
    return close(CloseReason::timeout);
  }
  // Every client keeps its session alive with requests or RTCP (RFC 2326 section 12.37);
  // RtspClient, FFmpeg and GStreamer all do.
  if (!recording_ && now - last_activity_ > idle_limit) {
    ++core_.counters.sessions_timed_out;
    return close(CloseReason::timeout);
  }
  if (depacketizer_ && recording_ && now - last_packet_ > std::chrono::milliseconds(500) &&
      depacketizer_->held_packets() > 0) {
    depacketizer_->flush();  // the missing packet is not coming: stop holding the rest
    sync_depacketizer_counters();
  }
}

void RtspConnection::close(CloseReason reason) {
  if (closed_) return;
  const auto self = shared_from_this();  // the map below may hold the last reference
  closed_ = true;
  if (role_ == Role::viewer) detach_viewer(reason == CloseReason::teardown);
  if (role_ == Role::publisher && ingest_channel_ != nullptr && ingest_channel_->publisher == id_) {
    ingest_channel_->publisher = 0;
  }
  ingest_channel_ = nullptr;
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  if (udp_rtp_) udp_rtp_->close(ec);
  if (udp_rtcp_) udp_rtcp_->close(ec);
  core_.connections.erase(id_);
}

boost::json::object RtspConnection::stats_json() const {
  boost::json::object out{{"connection", id_},
                          {"peer", peer_},
                          {"session", session_id_},
                          {"transport", udp_ ? "udp" : "tcp"}};
  if (role_ == Role::viewer) {
    out["account"] = account_;
    out["camera"] = view_camera_;
    out["frames_out"] = frames_out_;
    out["frames_dropped"] = frames_dropped_;
    out["bytes_out"] = bytes_out_;
    out["queued_bytes"] = queued_bytes();
    if (slot_) out["slot"] = *slot_;
  } else if (role_ == Role::publisher) {
    out["camera"] = camera_;
    out["channel"] = ingest_channel_ ? ingest_channel_->camera() : "";
    if (depacketizer_) {
      const auto& c = depacketizer_->counters();
      out["packets_received"] = c.packets_received;
      out["packets_lost"] = c.packets_lost;
      out["frames_complete"] = c.frames_complete;
      out["frames_incomplete"] = c.frames_incomplete;
      out["frames_oversize"] = c.frames_oversize;
    }
  }
  return out;
}

}  // namespace camleak::relay
