#include "tests/integration/rtsp/scripted_server.hpp"

#include <boost/asio/write.hpp>

#include "emulators/rtsp/auth.hpp"
#include "emulators/rtsp/headers.hpp"

namespace camleak::rtsp::testing {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace {
constexpr const char* kNonce = "0123456789abcdef";
constexpr const char* kRealm = "camleak";
}  // namespace

ScriptedServer::ScriptedServer(asio::io_context& io, ServerScript script)
    : io_(io),
      script_(std::move(script)),
      acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket s) {
    if (ec) return;
    socket_.emplace(std::move(s));
    start_read();
  });
}

std::string ScriptedServer::url(const std::string& credentials) const {
  return "rtsp://" + (credentials.empty() ? "" : credentials + "@") +
         "127.0.0.1:" + std::to_string(port_) + script_.path;
}

void ScriptedServer::start_read() {
  socket_->async_read_some(asio::buffer(read_buf_),
                           [this](const boost::system::error_code& ec, size_t n) {
                             if (ec) {
                               client_closed = true;
                               return;
                             }
                             parser_.feed(std::span<const uint8_t>(read_buf_.data(), n));
                             for (;;) {
                               StreamItem item = parser_.next();
                               if (std::holds_alternative<std::monostate>(item)) break;
                               if (auto* r = std::get_if<Request>(&item)) {
                                 handle(*r);
                                 if (!socket_) return;
                               } else if (auto* resp = std::get_if<Response>(&item)) {
                                 responses.push_back(std::move(*resp));
                               } else if (auto* f = std::get_if<InterleavedFrame>(&item)) {
                                 auto& sink = f->channel == 0 ? rtp_received : rtcp_received;
                                 sink.emplace_back(f->payload.begin(), f->payload.end());
                               }
                             }
                             start_read();
                           });
}

bool ScriptedServer::authorized(const Request& r) const {
  const std::string* a = r.headers.find("Authorization");
  switch (script_.auth) {
    case ServerScript::Auth::none:
      return true;
    case ServerScript::Auth::basic: {
      if (!a) return false;
      auto b = parse_basic_authorization(*a);
      return b && b->user == script_.user && b->password == script_.password;
    }
    case ServerScript::Auth::digest: {
      if (!a) return false;
      auto d = parse_digest_authorization(*a);
      return d && d->username == script_.user && d->realm == kRealm && d->nonce == kNonce &&
             d->uri == r.uri && verify_digest(*d, r.method, script_.password);
    }
  }
  return false;
}

void ScriptedServer::handle(const Request& r) {
  requests.push_back(r);
  if (script_.never_answer.count(r.method)) return;
  Response resp;
  resp.headers.set("CSeq", std::to_string(*r.cseq()));
  auto answer = [&](int status) {
    resp.status = status;
    resp.reason = std::string(reason_phrase(status));
    respond(resp);
  };
  if (!authorized(r)) {
    if (script_.auth == ServerScript::Auth::digest) {
      AuthChallenge c{
          .scheme = AuthScheme::digest, .realm = kRealm, .nonce = kNonce, .qop = {"auth"}};
      resp.headers.add("WWW-Authenticate", format_challenge(c));
    }
    resp.headers.add("WWW-Authenticate", "Basic realm=\"camleak\"");
    return answer(401);
  }
  if (auto it = script_.fail_with.find(r.method); it != script_.fail_with.end())
    return answer(it->second);
  std::string base = url();
  if (r.method != "OPTIONS" && r.uri.rfind(base, 0) != 0) return answer(404);
  if (r.method == "OPTIONS") {
    resp.headers.set("Public",
                     "OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, TEARDOWN, GET_PARAMETER");
    return answer(200);
  }
  if (r.method == "DESCRIBE") {
    resp.headers.set("Content-Type", "application/sdp");
    resp.headers.set("Content-Base", base + "/");
    resp.body = script_.describe_sdp;
    return answer(200);
  }
  if (r.method == "ANNOUNCE") {
    if (media_type(r.headers.get("Content-Type")) != "application/sdp") return answer(415);
    return answer(200);
  }
  if (r.method == "SETUP") {
    if (r.uri != base + "/" + script_.control) return answer(404);
    auto t = parse_transport(r.headers.get("Transport"));
    if (!t) return answer(461);
    if (t->lower == LowerTransport::udp) {
      if (!t->client_port) return answer(461);
      udp_ = true;
      client_rtp_port = t->client_port->first;
      client_rtcp_port = t->client_port->second;
      auto local = asio::ip::make_address("127.0.0.1");
      udp_rtp_.emplace(io_, udp::endpoint(local, 0));
      udp_rtcp_.emplace(io_, udp::endpoint(local, 0));
      t->server_port =
          PortPair{udp_rtp_->local_endpoint().port(), udp_rtcp_->local_endpoint().port()};
      receive_udp(false);
      receive_udp(true);
    }
    resp.headers.set("Transport", format_transport(*t));
    resp.headers.set("Session", "4711;timeout=" + std::to_string(script_.session_timeout));
    return answer(200);
  }
  bool has_session = r.headers.get("Session") == "4711";
  if (r.method == "RECORD" || r.method == "PLAY") {
    if (!has_session) return answer(454);
    if (r.method == "PLAY") {
      resp.headers.set(
          "RTP-Info",
          format_rtp_info({{base + "/" + script_.control, script_.play_first_sequence, 0}}));
    }
    answer(200);
    if (r.method == "PLAY") send_play_packets();
    if (!script_.after_start_raw.empty()) write(script_.after_start_raw);
    if (script_.reset_after_start) {
      // Let the answer (and packets) go out, then drop the connection.
      shutdown_when_drained_ = true;
      pump();
    }
    return;
  }
  if (r.method == "GET_PARAMETER" || r.method == "TEARDOWN") return answer(has_session ? 200 : 454);
  answer(501);
}

void ScriptedServer::send_play_packets() {
  for (const auto& p : script_.play_packets) {
    if (udp_) {
      udp_rtp_->send_to(asio::buffer(p),
                        udp::endpoint(asio::ip::make_address("127.0.0.1"), client_rtp_port));
    } else {
      std::string frame = "$";
      frame.push_back(0);
      frame.push_back(static_cast<char>(p.size() >> 8));
      frame.push_back(static_cast<char>(p.size() & 0xFF));
      frame.append(p.begin(), p.end());
      write(std::move(frame));
    }
  }
}

void ScriptedServer::receive_udp(bool rtcp) {
  auto& sock = rtcp ? *udp_rtcp_ : *udp_rtp_;
  auto& buf = rtcp ? udp_buf_rtcp_ : udp_buf_;
  auto& from = rtcp ? udp_from_rtcp_ : udp_from_;
  sock.async_receive_from(
      asio::buffer(buf), from, [this, rtcp](const boost::system::error_code& ec, size_t n) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) {
          auto& b = rtcp ? udp_buf_rtcp_ : udp_buf_;
          (rtcp ? rtcp_received : rtp_received)
              .emplace_back(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
        }
        receive_udp(rtcp);
      });
}

void ScriptedServer::respond(Response response) {
  write(to_string(response));
}

void ScriptedServer::write(std::string bytes) {
  if (!bytes.empty()) out_.push_back(std::move(bytes));
  pump();
}

void ScriptedServer::pump() {
  if (writing_ || !socket_) return;
  if (out_.empty()) {
    if (shutdown_when_drained_) {
      boost::system::error_code ignored;
      socket_->shutdown(tcp::socket::shutdown_send, ignored);
    }
    return;
  }
  writing_ = true;
  asio::async_write(*socket_, asio::buffer(out_.front()),
                    [this](const boost::system::error_code& ec, size_t) {
                      writing_ = false;
                      out_.pop_front();
                      if (!ec) pump();
                    });
}

}  // namespace camleak::rtsp::testing
