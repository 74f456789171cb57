#pragma once
// Loopback peers for the proxy's integration tests: servers on their own thread (port 0) and
// clients whose every wait has a deadline. Nothing here sleeps to synchronise: waits poll a
// condition (pausing briefly between checks) or run the client's io_context until the operation
// completes or the deadline passes.
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace camleak::proxy::testing {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using namespace std::chrono_literals;

// Polls `condition` until it holds or `deadline` passes. The conditions read counters of the
// proxy's own thread, which offers nothing to block on; a short sleep between checks leaves the
// CPU to that thread (spinning on yield() took a core from the code under test on 2 cores).
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds deadline = 5000ms) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

inline uint16_t unused_tcp_port() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();  // closed again: connecting there is refused
}

// A TCP server: echo (every byte back), or flood (writes without end, never reads).
class TcpServer {
 public:
  enum class Mode { echo, flood };
  explicit TcpServer(Mode mode = Mode::echo)
      : mode_(mode), acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TcpServer() {
    asio::post(io_, [this] {
      acceptor_.close();
      io_.stop();
    });
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  uint64_t bytes_written() const { return written_; }
  uint64_t accepted() const { return accepted_; }

 private:
  struct Conn : std::enable_shared_from_this<Conn> {
    Conn(tcp::socket s, TcpServer& server) : socket(std::move(s)), owner(server) {}
    void echo() {
      socket.async_read_some(asio::buffer(buf), [self = shared_from_this()](auto ec, size_t n) {
        if (ec) return;
        asio::async_write(self->socket, asio::buffer(self->buf, n), [self](auto e, size_t m) {
          self->owner.written_ += m;
          if (!e) self->echo();
        });
      });
    }
    void flood() {
      asio::async_write(socket, asio::buffer(buf), [self = shared_from_this()](auto ec, size_t m) {
        self->owner.written_ += m;
        if (!ec) self->flood();
      });
    }
    tcp::socket socket;
    TcpServer& owner;
    std::array<char, 65536> buf{};
  };
  void accept() {
    acceptor_.async_accept([this](auto ec, tcp::socket s) {
      if (ec) return;
      ++accepted_;
      auto c = std::make_shared<Conn>(std::move(s), *this);
      mode_ == Mode::echo ? c->echo() : c->flood();
      accept();
    });
  }
  Mode mode_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> accepted_{0};
  std::thread thread_;
};

// A UDP server that echoes every datagram and counts them.
class UdpEchoServer {
 public:
  UdpEchoServer() : socket_(io_, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    receive();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~UdpEchoServer() {
    asio::post(io_, [this] {
      socket_.close();
      io_.stop();
    });
    thread_.join();
  }
  uint16_t port() const { return socket_.local_endpoint().port(); }
  uint64_t received() const { return received_; }

 private:
  void receive() {
    socket_.async_receive_from(asio::buffer(buf_), from_, [this](auto ec, size_t n) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        ++received_;
        boost::system::error_code ignored;
        socket_.send_to(asio::buffer(buf_, n), from_, 0, ignored);
      }
      receive();
    });
  }
  asio::io_context io_;
  udp::socket socket_;
  udp::endpoint from_;
  std::array<char, 65536> buf_{};
  std::atomic<uint64_t> received_{0};
  std::thread thread_;
};

// Byte i of what PatternServer sends: a sequence that shows any byte lost, repeated or moved.
inline uint8_t pattern_byte(uint64_t i) {
  return static_cast<uint8_t>((i * 7 + i / 251) % 251);
}

// A TCP server that sends each client `total` bytes of pattern_byte in writes of `chunk` bytes,
// then closes its side.
class PatternServer {
 public:
  PatternServer(uint64_t total, size_t chunk)
      : total_(total),
        chunk_(chunk),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    acceptor_.async_accept([this](auto ec, tcp::socket s) {
      if (ec) return;
      socket_.emplace(std::move(s));
      send();
    });
    thread_ = std::thread([this] { io_.run(); });
  }
  ~PatternServer() {
    asio::post(io_, [this] { io_.stop(); });
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  void send() {
    if (sent_ == total_) {
      boost::system::error_code ignored;
      socket_->shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    buf_.resize(std::min<uint64_t>(chunk_, total_ - sent_));
    for (size_t k = 0; k < buf_.size(); ++k) buf_[k] = pattern_byte(sent_ + k);
    asio::async_write(*socket_, asio::buffer(buf_), [this](auto ec, size_t n) {
      sent_ += n;
      if (!ec) send();
    });
  }
  uint64_t total_;
  size_t chunk_;
  uint64_t sent_ = 0;
  std::vector<uint8_t> buf_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::optional<tcp::socket> socket_;
  std::thread thread_;
};

// A blocking-style TCP client with deadlines.
class TcpClient {
 public:
  explicit TcpClient(uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    socket_.set_option(tcp::no_delay(true));
  }
  void write(std::string_view data) { asio::write(socket_, asio::buffer(data)); }
  // Reads `n` bytes; returns fewer when the connection ended or the deadline passed, with the
  // reason in `last_error()`.
  std::string read(size_t n, std::chrono::milliseconds deadline = 5000ms) {
    std::string out(n, '\0');
    size_t got = 0;
    bool done = false;
    asio::async_read(socket_, asio::buffer(out), [&](auto ec, size_t m) {
      got = m;
      error_ = ec;
      done = true;
    });
    io_.restart();
    io_.run_for(deadline);
    if (!done) {
      socket_.cancel();
      io_.restart();
      io_.run();
      error_ = asio::error::timed_out;
    }
    out.resize(got);
    return out;
  }
  // Waits until the proxy ends the connection; returns how (eof, connection_reset) or
  // timed_out.
  boost::system::error_code wait_closed(std::chrono::milliseconds deadline = 5000ms) {
    for (;;) {
      read(65536, deadline);
      if (error_) return error_;
    }
  }
  boost::system::error_code last_error() const { return error_; }
  tcp::socket& socket() { return socket_; }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  boost::system::error_code error_;
};

class UdpClient {
 public:
  explicit UdpClient(uint16_t port)
      : socket_(io_, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        to_(asio::ip::make_address("127.0.0.1"), port) {}
  void send(std::string_view data) { socket_.send_to(asio::buffer(data), to_); }
  // One datagram, or nullopt at the deadline.
  std::optional<std::string> receive(std::chrono::milliseconds deadline = 5000ms) {
    std::string buf(65536, '\0');
    std::optional<size_t> got;
    udp::endpoint from;
    socket_.async_receive_from(asio::buffer(buf), from, [&](auto ec, size_t n) {
      if (!ec) got = n;
    });
    io_.restart();
    io_.run_for(deadline);
    if (!got) {
      socket_.cancel();
      io_.restart();
      io_.run();
      return std::nullopt;
    }
    buf.resize(*got);
    return buf;
  }

 private:
  asio::io_context io_;
  udp::socket socket_;
  udp::endpoint to_;
};

}  // namespace camleak::proxy::testing
