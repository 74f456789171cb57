#pragma once
// Misbehaving servers for the fleet tests: a loopback TCP listener on its own io_context and
// thread whose every connection is handed to a scripted behaviour (answer 401 to every RTSP
// request, send garbage, cut after the request, stall, stream an endless body, ...).
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace camleak::fleet_test {

using SocketPtr = std::shared_ptr<boost::asio::ip::tcp::socket>;

class FakeServer {
 public:
  // Runs on the server's own thread, once per accepted connection.
  using Behavior = std::function<void(SocketPtr)>;

  explicit FakeServer(Behavior behavior);
  ~FakeServer();
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  uint16_t port() const { return port_; }
  std::size_t connections() const { return connections_.load(); }

 private:
  void accept();

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Behavior behavior_;
  uint16_t port_ = 0;
  std::atomic<std::size_t> connections_{0};
  std::thread thread_;
};

// Reads requests (header blocks ending in CRLF CRLF) one after the other and calls `on_request`
// with each block; the socket stays open as long as the peer keeps it open.
void read_requests(SocketPtr socket, std::function<void(SocketPtr, const std::string&)> on_request);

// Behaviours.
FakeServer::Behavior rtsp_refuse_everything(int status);  // RTSP status with the request's CSeq
// Answers every RTSP request 200 (DESCRIBE with an H.264 SDP, SETUP with the offered Transport and
// a Session) and never sends media: a PLAY granted to anyone.
FakeServer::Behavior rtsp_grant_without_media();
FakeServer::Behavior send_garbage_forever();  // random-looking bytes, no framing
FakeServer::Behavior cut_after_request();     // reads one request, closes
FakeServer::Behavior stall();                 // reads, never answers
FakeServer::Behavior http_answer(int status, std::string content_type, std::string body);
FakeServer::Behavior http_endless_body();          // 200, huge Content-Length, streams
FakeServer::Behavior http_endless_chunked_body();  // 200 image/jpeg, chunks that never end
// 200 image/jpeg announcing 1000 bytes, sends 10, then neither sends nor closes.
FakeServer::Behavior http_status_then_stall();

// A loopback port nothing listens on (bound, then closed).
uint16_t closed_port();

}  // namespace camleak::fleet_test
