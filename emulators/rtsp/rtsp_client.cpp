#include "emulators/rtsp/rtsp_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "harness/tls/handshake.hpp"

namespace camleak::rtsp {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace {

constexpr size_t kTcpReadBuffer = 16 * 1024;
// Timed-out CSeqs remembered so their late answers are not taken for a newer request's.
constexpr size_t kMaxAbandoned = 64;

ClientError make_error(ClientErrorKind kind, std::string message, bool indeterminate = false,
                       int status = 0) {
  return ClientError{kind, status, indeterminate, std::move(message)};
}

std::string what(const Request& r) {
  return r.method + " " + r.uri;
}

bool has_control_char(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// A control value that only means something relative to a base URL.
bool is_relative_control(std::string_view control) {
  return !control.empty() && control != "*" && !is_absolute_rtsp_url(control);
}

}  // namespace

std::shared_ptr<RtspClient> RtspClient::create(asio::io_context& io, RtspClientOptions options) {
  return std::make_shared<RtspClient>(Passkey{}, io, std::move(options));
}

RtspClient::RtspClient(Passkey, asio::io_context& io, RtspClientOptions options)
    : io_(io),
      options_(std::move(options)),
      url_(parse_rtsp_url(options_.url)),
      auth_(!options_.user.empty() ? options_.user : (url_ ? url_->user : std::string()),
            !options_.user.empty() ? options_.password : (url_ ? url_->password : std::string()),
            options_.seed),
      stream_(io),
      connect_timer_(io),
      keepalive_timer_(io) {
  auth_.set_preemptive_basic(options_.preemptive_basic);
  auth_.set_digest_only(options_.digest_only);
  parser_.limits().require_response_cseq = false;  // match_response pairs them (ffmpeg does)
  if (url_) base_url_ = url_->without_credentials();
  info_.request_url = base_url_;
}

RtspClient::~RtspClient() = default;

uint16_t RtspClient::local_rtp_port() const {
  boost::system::error_code ec;
  return udp_rtp_ ? udp_rtp_->local_endpoint(ec).port() : 0;
}

uint16_t RtspClient::local_rtcp_port() const {
  boost::system::error_code ec;
  return udp_rtcp_ ? udp_rtcp_->local_endpoint(ec).port() : 0;
}

// ---------------------------------------------------------------- public operations

void RtspClient::publish(std::string sdp, SessionCompletion done) {
  start_flow(true, std::move(sdp), std::move(done));
}

void RtspClient::play(SessionCompletion done) {
  start_flow(false, {}, std::move(done));
}

void RtspClient::start_flow(bool publish, std::string sdp, SessionCompletion done) {
  auto self = shared_from_this();
  auto reject = [&](ClientError e) {
    asio::post(io_, [self, done = std::move(done), e = std::move(e)] { done(e, self->info_); });
  };
  if (state_ != State::idle) {
    return reject(make_error(ClientErrorKind::state, "publish/play on a client that is not idle"));
  }
  std::string error;
  if (!url_) {
    parse_rtsp_url(options_.url, &error);
    state_ = State::closed;
    return reject(make_error(ClientErrorKind::bad_input, error));
  }
  if (url_->secure && !options_.tls) {
    state_ = State::closed;
    return reject(make_error(ClientErrorKind::bad_input,
                             base_url_ + ": an rtsps:// URL needs a TLS context (options.tls)"));
  }
  if (publish) {
    auto track = parse_h264_sdp(sdp, &error);
    if (!track) {
      state_ = State::closed;
      return reject(make_error(ClientErrorKind::bad_input, "publish: " + error));
    }
    info_.track = *track;
    info_.sdp = std::move(sdp);
    info_.control_url = resolve_control_url(base_url_, track->control);
  }
  flow_done_ = std::move(done);
  state_ = State::connecting;
  connect([self, publish](const ClientError& e) {
    if (e) return self->fail(e);
    self->state_ = State::negotiating;
    self->step_options(publish);
  });
}

void RtspClient::teardown(Completion done) {
  auto self = shared_from_this();
  if (state_ != State::streaming) {
    close();
    asio::post(io_, [done = std::move(done)] { done(ClientError{}); });
    return;
  }
  send_request(make_request("TEARDOWN", base_url_),
               [self, done = std::move(done)](const ClientError& e, const Response&) {
                 self->close();
                 done(e);
               });
}

void RtspClient::close() {
  fail(make_error(ClientErrorKind::cancelled, "closed by the caller"));
}

bool RtspClient::send_rtp(std::span<const uint8_t> packet) {
  if (state_ != State::streaming) {
    ++counters_.rtp_packets_dropped;
    return false;
  }
  return options_.transport == RtpTransport::udp ? send_udp(false, packet)
                                                 : send_interleaved(rtp_channel_, packet);
}

bool RtspClient::send_rtcp(std::span<const uint8_t> packet) {
  if (state_ != State::streaming) return false;
  return options_.transport == RtpTransport::udp ? send_udp(true, packet)
                                                 : send_interleaved(rtcp_channel_, packet);
}

void RtspClient::request(Request request, ResponseHandler done) {
  if (state_ != State::streaming) {
    asio::post(io_, [done = std::move(done)] {
      done(make_error(ClientErrorKind::state, "request on a client without a session"), Response{});
    });
    return;
  }
  send_request(std::move(request), std::move(done));
}

// ---------------------------------------------------------------- connection

void RtspClient::connect(Completion done) {
  auto self = shared_from_this();
  connect_timer_.expires_after(options_.connect_timeout);
  connect_timer_.async_wait([self](const boost::system::error_code& ec) {
    if (ec || self->state_ != State::connecting) return;
    self->fail(make_error(ClientErrorKind::timeout,
                          "connect to " + self->base_url_ + ": no answer within " +
                              std::to_string(self->options_.connect_timeout.count()) + " ms"));
  });
  boost::system::error_code ec;
  auto address = asio::ip::make_address(url_->host, ec);
  if (!ec) {
    socket().async_connect(tcp::endpoint(address, url_->port),
                           [self, done = std::move(done)](const boost::system::error_code& e) {
                             self->on_connected(e, done);
                           });
    return;
  }
  // Only host names take this path (Asio resolves on a helper thread of its own).
  auto resolver = std::make_shared<tcp::resolver>(io_);
  resolver->async_resolve(
      url_->host, std::to_string(url_->port),
      [self, resolver, done = std::move(done)](const boost::system::error_code& e,
                                               tcp::resolver::results_type results) {
        if (self->state_ != State::connecting) return;
        if (e) {
          return self->fail(make_error(ClientErrorKind::resolve,
                                       "resolve " + self->url_->host + ": " + e.message()));
        }
        asio::async_connect(self->socket(), results,
                            [self, done](const boost::system::error_code& e2,
                                         const tcp::endpoint&) { self->on_connected(e2, done); });
      });
}

void RtspClient::on_connected(const boost::system::error_code& ec, Completion done) {
  if (state_ != State::connecting) return;  // closed or timed out meanwhile: already reported
  if (ec) {
    connect_timer_.cancel();
    return done(
        make_error(ClientErrorKind::connect, "connect to " + base_url_ + ": " + ec.message()));
  }
  boost::system::error_code ignored;
  socket().set_option(tcp::no_delay(true), ignored);
  if (!options_.tls) {
    connect_timer_.cancel();
    return start_session(std::move(done));
  }
  // The handshake is part of connecting: the connect timer keeps running until it is done.
  auto& tls = stream_.start_tls(*options_.tls);
  if (!tls::expect_server_name(tls.native_handle(), options_.tls_server_name.empty()
                                                        ? url_->host
                                                        : options_.tls_server_name)) {
    connect_timer_.cancel();
    return done(make_error(ClientErrorKind::local,
                           "TLS to " + base_url_ + ": cannot set the expected server name"));
  }
  auto self = shared_from_this();
  tls.async_handshake(asio::ssl::stream_base::client, [self, done = std::move(done)](
                                                          const boost::system::error_code& e) {
    if (self->state_ != State::connecting) return;
    self->connect_timer_.cancel();
    if (e) {
      return done(make_error(ClientErrorKind::tls,
                             "TLS handshake with " + self->base_url_ + ": " +
                                 tls::describe_failure(e, self->stream_.tls()->native_handle())));
    }
    self->start_session(done);
  });
}

void RtspClient::start_session(Completion done) {
  read_buf_.resize(kTcpReadBuffer);
  start_read();
  done(ClientError{});
}

void RtspClient::start_read() {
  auto self = shared_from_this();
  stream_.async_read_some(
      asio::buffer(read_buf_), [self](const boost::system::error_code& ec, size_t n) {
        if (self->state_ == State::closed) return;
        if (ec) {
          std::string m = tls::is_end_of_stream(ec) ? "server closed the connection"
                                                    : "connection error: " + ec.message();
          return self->fail(make_error(ClientErrorKind::connection_closed, m, true));
        }
        self->parser_.feed(std::span<const uint8_t>(self->read_buf_.data(), n));
        while (self->state_ != State::closed) {
          StreamItem item = self->parser_.next();
          if (std::holds_alternative<std::monostate>(item)) break;
          if (auto* f = std::get_if<InterleavedFrame>(&item)) {
            self->handle_frame(*f);
          } else if (auto* r = std::get_if<Response>(&item)) {
            self->handle_response(std::move(*r));
          } else if (auto* q = std::get_if<Request>(&item)) {
            self->handle_server_request(*q);
          } else if (auto* e = std::get_if<ParseError>(&item)) {
            ++self->counters_.parse_errors;
            if (e->fatal) {
              return self->fail(make_error(
                  ClientErrorKind::protocol,
                  "unframeable input from " + self->base_url_ + ": " + e->message, true));
            }
          }
        }
        if (self->state_ != State::closed) self->start_read();
      });
}

void RtspClient::queue_bytes(std::string_view bytes) {
  out_pending_.append(bytes);
  flush_writes();
}

void RtspClient::flush_writes() {
  if (writing_ || out_pending_.empty() || state_ == State::closed) return;
  std::swap(out_pending_, out_writing_);
  writing_ = true;
  auto self = shared_from_this();
  asio::async_write(stream_, asio::buffer(out_writing_),
                    [self](const boost::system::error_code& ec, size_t) {
                      self->writing_ = false;
                      self->out_writing_.clear();
                      if (self->state_ == State::closed) return;
                      if (ec) {
                        return self->fail(make_error(ClientErrorKind::connection_closed,
                                                     "write failed: " + ec.message(), true));
                      }
                      self->flush_writes();
                    });
}

bool RtspClient::send_interleaved(uint8_t channel, std::span<const uint8_t> packet) {
  if (packet.size() > 65535 || out_pending_.size() + out_writing_.size() + 4 + packet.size() >
                                   options_.max_send_queue_bytes) {
    ++counters_.rtp_packets_dropped;
    return false;
  }
  append_interleaved(out_pending_, channel, packet.data(), packet.size());
  ++counters_.rtp_packets_sent;
  counters_.rtp_bytes_sent += packet.size();
  flush_writes();
  return true;
}

void RtspClient::shutdown_sockets() {
  boost::system::error_code ignored;
  connect_timer_.cancel();
  keepalive_timer_.cancel();
  // No TLS close_notify: the socket goes at once, as a camera losing power would (and a
  // close_notify would need the write queue, which this abandons).
  socket().shutdown(tcp::socket::shutdown_both, ignored);
  socket().close(ignored);
  if (udp_rtp_) udp_rtp_->close(ignored);
  if (udp_rtcp_) udp_rtcp_->close(ignored);
  udp_route_.reset();
}

void RtspClient::fail(ClientError error) {
  if (state_ == State::closed) return;
  State was = state_;
  state_ = State::closed;
  shutdown_sockets();
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [cseq, p] : pending) {
    p.timer->cancel();
    if (p.handler) p.handler(error, Response{});
  }
  if (flow_done_) {
    auto done = std::move(flow_done_);
    flow_done_ = nullptr;
    done(error, info_);
  }
  if (was == State::streaming && error.kind != ClientErrorKind::cancelled &&
      session_error_handler_) {
    auto handler = std::move(session_error_handler_);
    session_error_handler_ = nullptr;
    handler(error);
  }
}

void RtspClient::complete_flow(const ClientError& error) {
  if (error) return fail(error);
  state_ = State::streaming;
  start_keepalive();
  if (flow_done_) {
    auto done = std::move(flow_done_);
    flow_done_ = nullptr;
    done(ClientError{}, info_);
  }
}

// ---------------------------------------------------------------- requests and responses

Request RtspClient::make_request(std::string method, std::string uri) const {
  Request r;
  r.method = std::move(method);
  r.uri = std::move(uri);
  return r;
}

void RtspClient::send_request(Request request, ResponseHandler done) {
  if (state_ == State::closed) {
    asio::post(io_, [done = std::move(done)] {
      done(make_error(ClientErrorKind::state, "client is closed"), Response{});
    });
    return;
  }
  uint32_t cseq = next_cseq_++;
  request.headers.set("CSeq", std::to_string(cseq));
  if (!options_.user_agent.empty()) request.headers.set("User-Agent", options_.user_agent);
  if (have_session_) request.headers.set("Session", info_.session.id);
  if (!options_.bearer_token.empty()) {
    request.headers.set("Authorization", "Bearer " + options_.bearer_token);
  } else if (auto a = auth_.authorization(request.method, request.uri)) {
    request.headers.set("Authorization", *a);
  } else {
    request.headers.remove("Authorization");
  }
  Pending p{std::move(request), std::move(done), std::make_unique<asio::steady_timer>(io_)};
  p.timer->expires_after(options_.request_timeout);
  auto self = shared_from_this();
  p.timer->async_wait([self, cseq](const boost::system::error_code& ec) {
    if (ec) return;
    auto it = self->pending_.find(cseq);
    if (it == self->pending_.end()) return;
    Pending timed_out = std::move(it->second);
    self->pending_.erase(it);
    self->abandoned_.insert(cseq);
    if (self->abandoned_.size() > kMaxAbandoned) self->abandoned_.erase(self->abandoned_.begin());
    timed_out.handler(make_error(ClientErrorKind::timeout,
                                 what(timed_out.request) + ": no response within " +
                                     std::to_string(self->options_.request_timeout.count()) + " ms",
                                 true),
                      Response{});
  });
  auto [it, inserted] = pending_.emplace(cseq, std::move(p));
  ++counters_.requests_sent;
  std::string bytes;
  append_request(bytes, it->second.request);
  queue_bytes(bytes);
}

void RtspClient::note(std::string_view text, std::string_view example) {
  if (options_.conformance) options_.conformance->note(text, example);
}

// RFC 2326 12.17: an answer echoes its request's CSeq. ffmpeg sends one request at a time and
// takes the next answer whatever its CSeq says (a warning at most); here an answer without a
// usable CSeq goes to the oldest request still waiting. A CSeq of a request that timed out is
// a late answer to that request, and stays unmatched rather than answering a newer one.
std::map<uint32_t, RtspClient::Pending>::iterator RtspClient::match_response(
    const Response& response) {
  const std::optional<uint32_t> cseq = response.cseq();
  if (cseq) {
    if (auto it = pending_.find(*cseq); it != pending_.end()) return it;
    if (abandoned_.contains(*cseq)) return pending_.end();
  }
  if (pending_.empty()) return pending_.end();
  auto oldest = pending_.begin();  // CSeqs only grow: the smallest waited longest
  note(cseq ? "response whose CSeq matches no request (RFC 2326 12.17); taken as the answer "
              "to the oldest outstanding request"
            : "response without a numeric CSeq (RFC 2326 12.17); taken as the answer to the "
              "oldest outstanding request",
       what(oldest->second.request));
  return oldest;
}

void RtspClient::handle_response(Response&& response) {
  ++counters_.responses_received;
  auto it = match_response(response);
  if (it == pending_.end()) {
    ++counters_.unmatched_responses;
    return;
  }
  Pending p = std::move(it->second);
  pending_.erase(it);
  p.timer->cancel();
  adopt_early_session(p.request, response);
  if (response.status == 401 &&
      auth_.on_unauthorized(response.headers.get_all("WWW-Authenticate"))) {
    ++counters_.auth_retries;
    return send_request(std::move(p.request), std::move(p.handler));
  }
  if (response.status / 100 != 2) {
    bool auth = response.status == 401 || response.status == 403;
    return p.handler(
        make_error(auth ? ClientErrorKind::unauthorized : ClientErrorKind::status,
                   what(p.request) + ": " + std::to_string(response.status) + " " + response.reason,
                   false, response.status),
        response);
  }
  p.handler(ClientError{}, response);
}

// ffmpeg keeps the first Session any answer carries and sends it from then on; relays that
// open the session at ANNOUNCE or DESCRIBE and leave it out of SETUP depend on that.
void RtspClient::adopt_early_session(const Request& request, const Response& response) {
  if (have_session_ || request.method == "SETUP" || response.status / 100 != 2) return;
  const std::string* value = response.headers.find("Session");
  if (!value) return;
  if (auto session = lenient_session(*value, what(request))) {
    info_.session = std::move(*session);
    have_session_ = true;
    session_from_ = request.method;
  }
}

std::optional<SessionHeader> RtspClient::lenient_session(std::string_view value,
                                                         std::string_view example) {
  std::string error;
  if (auto session = parse_session(value, &error)) {
    if (session->timeout_seconds == 0u) {
      // A zero timeout would stop the keep-alive; ffmpeg ignores timeouts that are not > 0.
      note("Session timeout=0 (RFC 2326 12.37); kept alive at the 60 s default", example);
      session->timeout_seconds.reset();
    }
    return session;
  }
  // ffmpeg takes everything before ';' as the id and drops a timeout it cannot read. The id is
  // echoed in our headers, so it must not carry control characters.
  const std::string_view id = trim(value.substr(0, value.find(';')));
  if (id.empty() || has_control_char(id)) return std::nullopt;
  note("malformed Session header (RFC 2326 12.37); used the text before ';' as the id", example);
  return SessionHeader{.id = std::string(id), .timeout_seconds = std::nullopt};
}

void RtspClient::handle_server_request(const Request& request) {
  ++counters_.server_requests;
  Response r;
  if (request.method == "OPTIONS" || request.method == "GET_PARAMETER") {
    r.status = 200;
    r.reason = "OK";
    if (request.method == "OPTIONS") r.headers.set("Public", "OPTIONS, GET_PARAMETER");
  } else {
    r.status = 501;
    r.reason = "Not Implemented";
  }
  r.headers.set("CSeq", std::to_string(*request.cseq()));  // the parser requires it of requests
  std::string bytes;
  append_response(bytes, r);
  queue_bytes(bytes);
}

void RtspClient::handle_frame(const InterleavedFrame& frame) {
  if (frame.channel == rtp_channel_) {
    ++counters_.rtp_packets_received;
    counters_.rtp_bytes_received += frame.payload.size();
    if (rtp_handler_) rtp_handler_(frame.payload);
  } else if (frame.channel == rtcp_channel_) {
    ++counters_.rtcp_packets_received;
    if (rtcp_handler_) rtcp_handler_(frame.payload);
  } else {
    ++counters_.frames_unknown_channel;
  }
}

// ---------------------------------------------------------------- the flows

void RtspClient::step_options(bool publish) {
  auto self = shared_from_this();
  send_request(make_request("OPTIONS", base_url_),
               [self, publish](const ClientError& e, const Response& r) {
                 if (e) return self->fail(e);
                 self->server_public_ = std::string(r.headers.get("Public"));
                 if (publish)
                   self->step_announce();
                 else
                   self->step_describe();
               });
}

void RtspClient::step_announce() {
  auto self = shared_from_this();
  Request r = make_request("ANNOUNCE", base_url_);
  r.headers.set("Content-Type", "application/sdp");
  r.body = info_.sdp;
  send_request(std::move(r), [self](const ClientError& e, const Response&) {
    if (e) return self->fail(e);
    self->step_setup(true);
  });
}

void RtspClient::step_describe() {
  auto self = shared_from_this();
  Request r = make_request("DESCRIBE", base_url_);
  r.headers.set("Accept", "application/sdp");
  send_request(std::move(r), [self](const ClientError& e, const Response& resp) {
    if (e) return self->fail(e);
    const std::string example = "DESCRIBE " + self->base_url_;
    const std::string type = media_type(resp.headers.get("Content-Type"));
    std::string error;
    // No H.264 video means nothing whose identity could be checked: the one refusal here.
    auto track = parse_h264_sdp(resp.body, &error);
    if (!track) {
      if (!type.empty() && type != "application/sdp") error += " (Content-Type \"" + type + "\")";
      return self->fail(make_error(ClientErrorKind::protocol, example + ": " + error));
    }
    for (const auto& deviation : track->deviations) self->note(deviation, example);
    // Like ffmpeg, the body is read as SDP whatever the Content-Type says.
    if (type.empty()) {
      self->note("DESCRIBE reply without Content-Type (RFC 2326 12.16); parsed the body as SDP",
                 example);
    } else if (type != "application/sdp") {
      self->note(
          "DESCRIBE reply Content-Type is not application/sdp (RFC 2326 C.1); parsed the "
          "body as SDP",
          example);
    }
    std::string base(resp.headers.get("Content-Base", resp.headers.get("Content-Location")));
    if (base.empty()) {
      base = self->base_url_;
      if (is_relative_control(track->control)) {
        self->note(
            "DESCRIBE reply without Content-Base or Content-Location (RFC 2326 C.1.1); "
            "resolved a=control against the request URL",
            example);
      }
    }
    if (track->control.empty()) {
      self->note("SDP media without a=control (RFC 2326 C.1.1); set up the base URL", example);
    }
    self->info_.sdp = resp.body;
    self->info_.track = *track;
    self->info_.control_url = resolve_control_url(base, track->control);
    self->step_setup(false);
  });
}

TransportHeader RtspClient::transport_offer(TransportMode mode) const {
  TransportHeader t;
  t.unicast = true;
  if (mode == TransportMode::record) t.mode = TransportMode::record;
  if (options_.transport == RtpTransport::udp) {
    t.lower = LowerTransport::udp;
    t.client_port = udp_route_ ? PortPair{udp_route_->rtp.port(), udp_route_->rtcp.port()}
                               : PortPair{local_rtp_port(), local_rtcp_port()};
  } else {
    t.lower = LowerTransport::tcp;
    t.interleaved = PortPair{rtp_channel_, rtcp_channel_};
  }
  return t;
}

void RtspClient::step_setup(bool publish) {
  if (options_.transport == RtpTransport::udp) {
    if (ClientError e = open_udp()) return fail(e);
    if (!publish) {
      boost::system::error_code ec;
      const udp::endpoint rtp = udp_rtp_->local_endpoint(ec);
      const udp::endpoint rtcp = udp_rtcp_->local_endpoint(ec);
      if (ClientError e = route_udp(TransportMode::play, rtp, rtcp)) return fail(e);
    }
  }
  auto self = shared_from_this();
  Request r = make_request("SETUP", info_.control_url);
  r.headers.set("Transport", format_transport(transport_offer(publish ? TransportMode::record
                                                                      : TransportMode::play)));
  if (!have_session_ && !options_.resume_session.empty()) {
    r.headers.set("Session", options_.resume_session);
  }
  send_request(std::move(r), [self, publish](const ClientError& e, const Response& resp) {
    if (e) return self->fail(e);
    if (ClientError bad = self->accept_setup(resp, publish)) return self->fail(bad);
    self->step_start(publish);
  });
}

ClientError RtspClient::route_udp(TransportMode mode, const udp::endpoint& rtp,
                                  const udp::endpoint& rtcp) {
  if (!options_.udp_router) return ClientError{};
  try {
    udp_route_ = options_.udp_router(mode, rtp, rtcp);
  } catch (const std::exception& e) {
    return make_error(ClientErrorKind::local, std::string("UDP route: ") + e.what());
  }
  return ClientError{};
}

ClientError RtspClient::accept_setup(const Response& response, bool publish) {
  std::string error;
  const std::string example = "SETUP " + info_.control_url;
  std::optional<SessionHeader> s;
  if (const std::string* session = response.headers.find("Session")) {
    s = lenient_session(*session, example);
    if (!s) {
      return make_error(ClientErrorKind::protocol,
                        example + ": Session header \"" + *session + "\" has no usable id");
    }
  } else if (have_session_) {
    note("SETUP reply without Session header (RFC 2326 12.37); reused the session from " +
             session_from_,
         example);
  } else {
    // ffmpeg goes on without a Session header; a server that wants one refuses RECORD/PLAY.
    note(
        "SETUP reply without Session header (RFC 2326 12.37) and no session before; went on "
        "without one",
        example);
  }
  const std::string* transport = response.headers.find("Transport");
  if (!transport)
    return make_error(ClientErrorKind::protocol,
                      "SETUP " + info_.control_url + ": no Transport header");
  auto t = parse_transport(*transport, &error);
  if (!t) return make_error(ClientErrorKind::protocol, "SETUP " + info_.control_url + ": " + error);
  bool want_tcp = options_.transport == RtpTransport::tcp_interleaved;
  if ((t->lower == LowerTransport::tcp) != want_tcp) {
    return make_error(ClientErrorKind::protocol,
                      "SETUP " + info_.control_url +
                          ": server answered a different lower transport: " + *transport);
  }
  if (want_tcp) {
    if (t->interleaved) {
      rtp_channel_ = static_cast<uint8_t>(t->interleaved->first);
      rtcp_channel_ = static_cast<uint8_t>(t->interleaved->second);
    } else {
      note(
          "SETUP reply Transport without interleaved= (RFC 2326 12.39); assumed the requested "
          "channels",
          example);
    }
    std::bitset<256> channels;
    channels.set(rtp_channel_);
    channels.set(rtcp_channel_);
    parser_.limits().allowed_channels = channels;
  } else {
    if (!t->server_port) {
      return make_error(ClientErrorKind::protocol,
                        "SETUP " + info_.control_url + ": UDP transport without server_port");
    }
    boost::system::error_code ec;
    asio::ip::address peer = socket().remote_endpoint(ec).address();
    if (!t->source.empty()) {
      auto src = asio::ip::make_address(t->source, ec);
      if (!ec) peer = src;
    }
    udp_peer_rtp_ = udp::endpoint(peer, t->server_port->first);
    udp_peer_rtcp_ = udp::endpoint(peer, t->server_port->second);
    if (publish) {
      if (ClientError e = route_udp(TransportMode::record, udp_peer_rtp_, udp_peer_rtcp_)) return e;
      if (udp_route_) {
        udp_peer_rtp_ = udp_route_->rtp;
        udp_peer_rtcp_ = udp_route_->rtcp;
      }
    }
  }
  if (s) {
    info_.session = std::move(*s);
    have_session_ = true;
    session_from_ = "SETUP";
  }
  info_.transport = std::move(*t);
  return ClientError{};
}

void RtspClient::step_start(bool publish) {
  auto self = shared_from_this();
  std::string uri = base_url_;
  if (!publish && !info_.track.session_control.empty()) {
    uri = resolve_control_url(base_url_, info_.track.session_control);
  }
  Request r = make_request(publish ? "RECORD" : "PLAY", uri);
  r.headers.set("Range", "npt=0.000-");
  send_request(std::move(r), [self, publish, uri](const ClientError& e, const Response& resp) {
    if (e) return self->fail(e);
    if (!publish) self->accept_rtp_info(resp, "PLAY " + uri);
    self->complete_flow(ClientError{});
  });
}

// Without RTP-Info the hub cannot tell the first packet of the session from a stray one, so it
// drops the first access unit (h264_depacketizer.hpp); media still flows.
void RtspClient::accept_rtp_info(const Response& response, std::string_view example) {
  const std::string* value = response.headers.find("RTP-Info");
  if (!value) {
    note("PLAY reply without RTP-Info (RFC 2326 12.33); started at the first RTP packet", example);
    return;
  }
  if (auto info = parse_rtp_info(*value)) {
    info_.rtp_info = std::move(*info);
  } else {
    note("PLAY reply with an unreadable RTP-Info (RFC 2326 12.33); started at the first RTP packet",
         example);
  }
}

// ---------------------------------------------------------------- keep-alive

void RtspClient::start_keepalive() {
  arm_keepalive();
}

void RtspClient::arm_keepalive() {
  std::chrono::milliseconds interval =
      options_.keepalive_interval
          ? *options_.keepalive_interval
          : std::chrono::milliseconds(info_.session.timeout_seconds.value_or(60) * 1000 / 2);
  if (interval.count() <= 0) return;
  auto self = shared_from_this();
  keepalive_timer_.expires_after(interval);
  keepalive_timer_.async_wait([self](const boost::system::error_code& ec) {
    if (ec || self->state_ != State::streaming) return;
    std::string method =
        public_has(self->server_public_, "GET_PARAMETER") ? "GET_PARAMETER" : "OPTIONS";
    ++self->counters_.keepalives_sent;
    self->send_request(self->make_request(method, self->base_url_),
                       [self](const ClientError& e, const Response&) {
                         if (e) {
                           ClientError lost = e;
                           lost.message = "keep-alive " + e.message;
                           return self->fail(lost);
                         }
                         self->arm_keepalive();
                       });
  });
}

// ---------------------------------------------------------------- UDP

ClientError RtspClient::open_udp() {
  boost::system::error_code ec;
  asio::ip::address local = socket().local_endpoint(ec).address();
  if (ec) return make_error(ClientErrorKind::local, "UDP: no local address: " + ec.message());
  udp protocol = local.is_v6() ? udp::v6() : udp::v4();
  // RFC 3550 section 11: RTP on an even port, RTCP on the next one. Ephemeral ports come
  // in random order, so try a few times before settling for any two ports.
  constexpr int kAttempts = 16;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    bool last = attempt + 1 == kAttempts;
    udp::socket rtp(io_), rtcp(io_);
    rtp.open(protocol, ec);
    if (!ec) rtp.bind(udp::endpoint(local, 0), ec);
    if (ec) return make_error(ClientErrorKind::local, "UDP: bind RTP socket: " + ec.message());
    uint16_t port = rtp.local_endpoint(ec).port();
    if (!last && (port % 2 != 0 || port == 65535)) continue;
    rtcp.open(protocol, ec);
    if (ec) return make_error(ClientErrorKind::local, "UDP: open RTCP socket: " + ec.message());
    rtcp.bind(udp::endpoint(local, last ? 0 : static_cast<uint16_t>(port + 1)), ec);
    if (ec) {
      if (last) return make_error(ClientErrorKind::local, "UDP: bind RTCP socket: " + ec.message());
      continue;
    }
    rtp.non_blocking(true, ec);
    rtcp.non_blocking(true, ec);
    udp_rtp_.emplace(std::move(rtp));
    udp_rtcp_.emplace(std::move(rtcp));
    udp_buf_rtp_.resize(options_.udp_receive_buffer);
    udp_buf_rtcp_.resize(options_.udp_receive_buffer);
    start_udp_receive(false);
    start_udp_receive(true);
    return ClientError{};
  }
  return make_error(ClientErrorKind::local, "UDP: could not bind a port pair");
}

void RtspClient::start_udp_receive(bool rtcp) {
  auto self = shared_from_this();
  udp::socket& sock = rtcp ? *udp_rtcp_ : *udp_rtp_;
  std::vector<uint8_t>& buf = rtcp ? udp_buf_rtcp_ : udp_buf_rtp_;
  udp::endpoint& from = rtcp ? udp_from_rtcp_ : udp_from_rtp_;
  sock.async_receive_from(
      asio::buffer(buf), from, [self, rtcp](const boost::system::error_code& ec, size_t n) {
        if (self->state_ == State::closed || ec == asio::error::operation_aborted ||
            ec == asio::error::bad_descriptor) {
          return;
        }
        // Other errors (an ICMP port unreachable surfacing as connection_refused) do not end
        // the session: the TCP connection decides that.
        if (!ec) {
          std::span<const uint8_t> packet(
              rtcp ? self->udp_buf_rtcp_.data() : self->udp_buf_rtp_.data(), n);
          if (rtcp) {
            ++self->counters_.rtcp_packets_received;
            if (self->rtcp_handler_) self->rtcp_handler_(packet);
          } else {
            ++self->counters_.rtp_packets_received;
            self->counters_.rtp_bytes_received += n;
            if (self->rtp_handler_) self->rtp_handler_(packet);
          }
        }
        if (self->state_ != State::closed) self->start_udp_receive(rtcp);
      });
}

bool RtspClient::send_udp(bool rtcp, std::span<const uint8_t> packet) {
  auto& sock = rtcp ? udp_rtcp_ : udp_rtp_;
  if (!sock) return false;
  boost::system::error_code ec;
  sock->send_to(asio::buffer(packet.data(), packet.size()), rtcp ? udp_peer_rtcp_ : udp_peer_rtp_,
                0, ec);
  if (ec) {
    if (!rtcp) ++counters_.rtp_packets_dropped;
    return false;
  }
  if (!rtcp) {
    ++counters_.rtp_packets_sent;
    counters_.rtp_bytes_sent += packet.size();
  }
  return true;
}

void use_credentials(RtspClientOptions& options, const ClientCredentials& credentials) {
  using Mode = ClientCredentials::Mode;
  options.user.clear();
  options.password.clear();
  options.bearer_token.clear();
  options.preemptive_basic = credentials.mode == Mode::basic;
  options.digest_only = credentials.mode == Mode::digest;
  if (credentials.mode == Mode::bearer) {
    options.bearer_token = credentials.password;
  } else if (credentials.mode != Mode::none) {
    options.user = credentials.user;
    options.password = credentials.password;
  }
}

}  // namespace camleak::rtsp
