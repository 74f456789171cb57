#include "tests/integration/rtsp/raw_rtsp_server.hpp"

#include <boost/asio/write.hpp>
#include <deque>
#include <memory>

#include "emulators/rtsp/headers.hpp"
#include "emulators/rtsp/sdp.hpp"
#include "emulators/rtsp/stream_parser.hpp"

namespace camleak::rtsp::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string raw_reply(std::string_view status_line, const std::vector<std::string>& lines,
                      std::string_view body) {
  std::string out = "RTSP/1.0 " + std::string(status_line) + "\r\n";
  for (const auto& line : lines) out += line + "\r\n";
  if (!body.empty()) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

std::string cseq_line(const Request& request) {
  return "CSeq: " + std::string(request.headers.get("CSeq"));
}

std::string interleaved(uint8_t channel, const std::vector<uint8_t>& payload) {
  std::string out;
  append_interleaved(out, channel, payload.data(), payload.size());
  return out;
}

std::string h264_sdp(const std::string& control) {
  H264SdpParams p;
  p.sps = {0x67, 0x42, 0xc0, 0x1f, 0xda};
  p.pps = {0x68, 0xce, 0x3c, 0x80};
  p.control = control;
  return build_h264_sdp(p);
}

RawRtspServer::RawRtspServer(asio::io_context& io, std::map<std::string, RawReply> replies)
    : io_(io),
      acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
      replies_(std::move(replies)) {
  port_ = acceptor_.local_endpoint().port();
  accept();
}

std::string RawRtspServer::url() const {
  return "rtsp://127.0.0.1:" + std::to_string(port_) + "/cameras/cam-1";
}

std::string describe_reply(const Request& r, std::string_view content_type, std::string_view sdp,
                           const std::vector<std::string>& extra) {
  std::vector<std::string> lines{cseq_line(r), "Content-Type: " + std::string(content_type),
                                 "Content-Base: " + r.uri + "/"};
  lines.insert(lines.end(), extra.begin(), extra.end());
  return raw_reply("200 OK", lines, sdp);
}

std::string conformant_reply(const Request& r) {
  const std::string cseq = cseq_line(r);
  const std::string session = "Session: 4711;timeout=60";
  if (r.method == "OPTIONS") {
    return raw_reply("200 OK", {cseq,
                                "Public: OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, "
                                "TEARDOWN, GET_PARAMETER"});
  }
  if (r.method == "DESCRIBE") return describe_reply(r, "application/sdp", h264_sdp());
  if (r.method == "ANNOUNCE") return raw_reply("200 OK", {cseq});
  if (r.method == "SETUP") {
    // Echo the offer: what a conformant server that accepts it answers.
    return raw_reply("200 OK",
                     {cseq, "Transport: " + std::string(r.headers.get("Transport")), session});
  }
  if (r.method == "PLAY") {
    return raw_reply("200 OK",
                     {cseq, session, "RTP-Info: url=" + r.uri + "/trackID=0;seq=1;rtptime=0"});
  }
  if (r.method == "RECORD" || r.method == "GET_PARAMETER" || r.method == "TEARDOWN") {
    return raw_reply("200 OK", {cseq, session});
  }
  return raw_reply("501 Not Implemented", {cseq});
}

std::string without_header(const std::string& reply, std::string_view name) {
  std::string out;
  size_t pos = 0;
  while (pos < reply.size()) {
    size_t end = reply.find("\r\n", pos);
    end = end == std::string::npos ? reply.size() : end + 2;
    const std::string_view line(reply.data() + pos, end - pos);
    const size_t colon = line.find(':');
    const bool drop = colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), name);
    if (!drop) out.append(line);
    if (line == "\r\n") {  // end of the header block: the body follows untouched
      out.append(reply, end, std::string::npos);
      break;
    }
    pos = end;
  }
  return out;
}

void RawRtspServer::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec) return;
    serve(std::make_shared<tcp::socket>(std::move(socket)));
    accept();
  });
}

namespace {

// One connection: a parser for what the client sends, a queue for what we answer.
struct Connection : std::enable_shared_from_this<Connection> {
  using Answer = std::function<std::string(const Request&)>;

  Connection(std::shared_ptr<tcp::socket> s, Answer a)
      : socket(std::move(s)), answer(std::move(a)) {}

  void read() {
    socket->async_read_some(
        asio::buffer(buffer),
        [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
          if (ec) return;  // the client closed: the connection ends with it
          self->parser.feed(std::span<const uint8_t>(self->buffer.data(), n));
          for (;;) {
            StreamItem item = self->parser.next();
            if (std::holds_alternative<std::monostate>(item)) break;
            // Anything else is RTP/RTCP from a publishing client, or junk.
            if (const auto* request = std::get_if<Request>(&item))
              self->write(self->answer(*request));
          }
          self->read();
        });
  }

  void write(std::string bytes) {
    if (bytes.empty()) return;
    out.push_back(std::move(bytes));
    pump();
  }

  void pump() {
    if (writing || out.empty()) return;
    writing = true;
    asio::async_write(*socket, asio::buffer(out.front()),
                      [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                        self->writing = false;
                        self->out.pop_front();
                        if (!ec) self->pump();
                      });
  }

  std::shared_ptr<tcp::socket> socket;
  Answer answer;
  StreamParser parser;
  std::vector<uint8_t> buffer = std::vector<uint8_t>(16 * 1024);
  std::deque<std::string> out;
  bool writing = false;
};

}  // namespace

void RawRtspServer::serve(std::shared_ptr<tcp::socket> socket) {
  auto connection = std::make_shared<Connection>(std::move(socket), [this](const Request& r) {
    requests.push_back(r);
    const auto it = replies_.find(r.method);
    return it != replies_.end() ? it->second(r) : conformant_reply(r);
  });
  connection->read();
}

}  // namespace camleak::rtsp::testing
