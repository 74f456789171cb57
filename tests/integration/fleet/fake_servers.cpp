#include "fake_servers.hpp"

#include <array>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

namespace camleak::fleet_test {

namespace asio = boost::asio;
using asio::ip::tcp;

FakeServer::FakeServer(Behavior behavior)
    : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
      behavior_(std::move(behavior)) {
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

FakeServer::~FakeServer() {
  io_.stop();
  thread_.join();
}

void FakeServer::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec) return;
    ++connections_;
    behavior_(std::make_shared<tcp::socket>(std::move(socket)));
    accept();
  });
}

namespace {

void read_more(SocketPtr socket, std::shared_ptr<asio::streambuf> buffer,
               std::function<void(SocketPtr, const std::string&)> on_request) {
  asio::async_read_until(
      *socket, *buffer, "\r\n\r\n",
      [socket, buffer, on_request](const boost::system::error_code& ec, std::size_t n) {
        if (ec) return;
        std::string block(asio::buffers_begin(buffer->data()),
                          asio::buffers_begin(buffer->data()) + static_cast<std::ptrdiff_t>(n));
        buffer->consume(n);
        on_request(socket, block);
        if (socket->is_open()) read_more(socket, buffer, on_request);
      });
}

}  // namespace

void read_requests(SocketPtr socket,
                   std::function<void(SocketPtr, const std::string&)> on_request) {
  read_more(std::move(socket), std::make_shared<asio::streambuf>(64 * 1024), std::move(on_request));
}

namespace {

std::string cseq_of(const std::string& request) {
  const auto at = request.find("CSeq:");
  if (at == std::string::npos) return "0";
  auto end = request.find("\r\n", at);
  std::string value = request.substr(at + 5, end - at - 5);
  while (!value.empty() && value.front() == ' ') value.erase(value.begin());
  return value;
}

void write_then(SocketPtr socket, std::string bytes, std::function<void()> then) {
  auto data = std::make_shared<std::string>(std::move(bytes));
  asio::async_write(*socket, asio::buffer(*data),
                    [socket, data, then](const boost::system::error_code& ec, std::size_t) {
                      if (!ec && then) then();
                    });
}

void discard_forever(SocketPtr socket) {
  auto buffer = std::make_shared<std::array<char, 4096>>();
  socket->async_read_some(asio::buffer(*buffer),
                          [socket, buffer](const boost::system::error_code& ec, std::size_t) {
                            if (!ec) discard_forever(socket);
                          });
}

}  // namespace

FakeServer::Behavior rtsp_refuse_everything(int status) {
  return [status](SocketPtr socket) {
    read_requests(socket, [status](SocketPtr s, const std::string& request) {
      std::string reply =
          "RTSP/1.0 " + std::to_string(status) + " Refused\r\nCSeq: " + cseq_of(request) + "\r\n";
      if (status == 401) reply += "WWW-Authenticate: Basic realm=\"fake\"\r\n";
      reply += "\r\n";
      write_then(s, reply, nullptr);
    });
  };
}

namespace {

// The value of header `name` in a raw request block ("" when absent).
std::string header_of(const std::string& request, const std::string& name) {
  const auto at = request.find("\r\n" + name + ":");
  if (at == std::string::npos) return {};
  const auto start = request.find_first_not_of(' ', at + name.size() + 3);
  return request.substr(start, request.find("\r\n", start) - start);
}

}  // namespace

FakeServer::Behavior rtsp_grant_without_media() {
  return [](SocketPtr socket) {
    read_requests(socket, [](SocketPtr s, const std::string& request) {
      const std::string method = request.substr(0, request.find(' '));
      std::string reply = "RTSP/1.0 200 OK\r\nCSeq: " + cseq_of(request) + "\r\n";
      std::string body;
      if (method == "OPTIONS") {
        reply += "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n";
      } else if (method == "DESCRIBE") {
        body =
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n"
            "a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\na=control:*\r\n";
        reply += "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(body.size()) +
                 "\r\n";
      } else if (method == "SETUP") {
        reply += "Transport: " + header_of(request, "Transport") + "\r\nSession: 77\r\n";
      } else {
        reply += "Session: 77\r\n";
      }
      write_then(s, reply + "\r\n" + body, nullptr);
    });
  };
}

namespace {

void pump_garbage(SocketPtr socket, uint32_t state) {
  std::string junk(8192, '\0');
  for (char& c : junk) {
    state = state * 1664525u + 1013904223u;
    c = static_cast<char>(state >> 24);
  }
  // An interleaved header with an absurd length and a broken start line in between.
  junk.replace(100, 20, "$\x07\xff\xffRTSP/9.9 abc\r\n");
  write_then(socket, std::move(junk), [socket, state] { pump_garbage(socket, state); });
}

void pump_body(SocketPtr socket, std::shared_ptr<const std::string> chunk) {
  asio::async_write(*socket, asio::buffer(*chunk),
                    [socket, chunk](const boost::system::error_code& ec, std::size_t) {
                      if (!ec) pump_body(socket, chunk);
                    });
}

}  // namespace

FakeServer::Behavior send_garbage_forever() {
  return [](SocketPtr socket) {
    discard_forever(socket);
    pump_garbage(socket, 12345);
  };
}

FakeServer::Behavior cut_after_request() {
  return [](SocketPtr socket) {
    read_requests(socket, [](SocketPtr s, const std::string&) {
      boost::system::error_code ignored;
      s->shutdown(tcp::socket::shutdown_both, ignored);
      s->close(ignored);
    });
  };
}

FakeServer::Behavior stall() {
  return [](SocketPtr socket) { discard_forever(socket); };
}

FakeServer::Behavior http_answer(int status, std::string content_type, std::string body) {
  return [=](SocketPtr socket) {
    read_requests(socket, [=](SocketPtr s, const std::string&) {
      std::string reply = "HTTP/1.1 " + std::to_string(status) +
                          " X\r\nContent-Type: " + content_type +
                          "\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\nConnection: close\r\n\r\n" + body;
      write_then(s, reply, [s] {
        boost::system::error_code ignored;
        s->shutdown(tcp::socket::shutdown_send, ignored);
      });
    });
  };
}

FakeServer::Behavior http_endless_body() {
  return [](SocketPtr socket) {
    read_requests(socket, [](SocketPtr s, const std::string&) {
      write_then(s,
                 "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: "
                 "100000000000\r\n\r\n",
                 [s] { pump_body(s, std::make_shared<const std::string>(64 * 1024, 'x')); });
    });
  };
}

FakeServer::Behavior http_endless_chunked_body() {
  return [](SocketPtr socket) {
    read_requests(socket, [](SocketPtr s, const std::string&) {
      write_then(
          s, "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n",
          [s] {
            pump_body(s, std::make_shared<const std::string>("10000\r\n" +
                                                             std::string(0x10000, 'x') + "\r\n"));
          });
    });
  };
}

FakeServer::Behavior http_status_then_stall() {
  return [](SocketPtr socket) {
    read_requests(socket, [](SocketPtr s, const std::string&) {
      write_then(s,
                 "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n"
                 "\xff\xd8 10 bytes",
                 nullptr);
    });
  };
}

uint16_t closed_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace camleak::fleet_test
