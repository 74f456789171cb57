#include "harness/web/server.hpp"

#include <array>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <set>

#include "harness/tls/handshake.hpp"
#include "harness/tls/stream.hpp"

namespace camleak::web {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

// Errors that end a connection without an answer: the peer left, or went quiet.
bool is_hang_up(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || tls::is_end_of_stream(ec) ||
         ec == asio::error::connection_reset || ec == beast::error::timeout ||
         ec == asio::error::operation_aborted;
}

}  // namespace

class Session;

struct Server::Shared {
  Shared(asio::any_io_executor e, ServerOptions o, Handler h)
      : executor(std::move(e)), options(std::move(o)), handler(std::move(h)), acceptor(executor) {}
  void accept(const std::shared_ptr<Shared>& self);

  asio::any_io_executor executor;
  ServerOptions options;
  Handler handler;
  tcp::acceptor acceptor;
  bool stopped = false;
  std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Server::Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {}

  void start() {
    const ServerOptions& o = shared_->options;
    if (!o.tls) return read();
    stream_.next_layer().expires_after(o.deadline);
    stream_.start_tls(*o.tls).async_handshake(
        asio::ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
          if (self->closed_) return;
          if (!ec) return self->read();
          const ServerOptions& options = self->shared_->options;
          if (options.handshake_failed) {
            options.handshake_failed(
                tls::describe_failure(ec, self->stream_.tls()->native_handle()));
          }
          self->close();
        });
  }

  void read() {
    if (closed_) return;
    const ServerOptions& o = shared_->options;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(o.header_limit));
    parser_->body_limit(o.body_limit);
    stream_.next_layer().expires_after(o.deadline);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    if (shared_->options.closed) shared_->options.closed();
    beast::error_code ignored;
    stream_.next_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.next_layer().close();
  }

 private:
  void on_read(beast::error_code ec) {
    if (closed_) return;
    if (is_hang_up(ec)) return close();
    const ServerOptions& o = shared_->options;
    if (o.requested) o.requested(static_cast<bool>(ec));
    if (ec) {
      // Say why once, then close: the rest of the stream cannot be framed.
      if (ec == http::error::body_limit) {
        refuse(413, "request body too large: at most " + std::to_string(o.body_limit) + " bytes");
      } else if (ec == http::error::header_limit) {
        refuse(431,
               "request header too large: at most " + std::to_string(o.header_limit) + " bytes");
      } else {
        refuse(400, "malformed HTTP request: " + ec.message());
      }
      return;
    }
    Request request = parser_->release();
    const unsigned version = request.version();
    const bool keep_alive = request.keep_alive();
    shared_->handler(request, [self = shared_from_this(), version, keep_alive](Response response) {
      self->write(std::move(response), version, keep_alive);
    });
  }

  void refuse(unsigned status, const std::string& message) {
    // The version of the request, when its header was read.
    const unsigned version = parser_->is_header_done() ? parser_->get().version() : 11;
    write(shared_->options.refusal(status, message), version, false);
  }

  void write(Response response, unsigned version, bool keep_alive) {
    // A deferred answer may come after the server closed this connection (stop).
    if (closed_) return;
    response_ = std::make_shared<Response>(std::move(response));
    response_->version(version);
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    stream_.next_layer().expires_after(shared_->options.deadline);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                        if (self->closed_) return;
                        if (ec) return self->close();
                        if (!keep_alive) return self->linger();
                        self->read();
                      });
  }

  // Closing a socket with unread bytes makes the kernel reset the connection, and a client
  // still sending (a body past the limit) would lose the answer. So, as web servers' lingering
  // close does, stop sending and discard what still arrives until the client closes or the
  // deadline passes. Over TLS the FIN comes without a close_notify: the answer was framed by
  // its length, and waiting for the client's close_notify would need this side to read anyway.
  void linger() {
    beast::error_code ignored;
    stream_.next_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.next_layer().expires_after(shared_->options.deadline);
    discard();
  }

  void discard() {
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (self->closed_) return;
                              if (ec) return self->close();
                              self->discard();
                            });
  }

  tls::MaybeTlsStream<beast::tcp_stream> stream_;
  std::shared_ptr<Server::Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> response_;
  std::array<char, 16384> discard_{};
  bool closed_ = false;
};

void Server::Shared::accept(const std::shared_ptr<Shared>& self) {
  acceptor.async_accept(executor, [self](beast::error_code ec, tcp::socket socket) {
    if (self->stopped || ec == asio::error::operation_aborted) return;
    if (!ec) {
      if (self->options.admit && !self->options.admit()) {
        socket.close(ec);
      } else {
        auto session = std::make_shared<Session>(std::move(socket), self);
        std::erase_if(self->sessions, [](const auto& w) { return w.expired(); });
        self->sessions.insert(session);
        session->start();
      }
    }
    self->accept(self);
  });
}

Server::Server(asio::any_io_executor executor, ServerOptions options, Handler handler)
    : shared_(
          std::make_shared<Shared>(std::move(executor), std::move(options), std::move(handler))) {}

Server::~Server() {
  stop();
}

boost::system::error_code Server::listen(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  auto& a = shared_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    a.close(ignored);
    return ec;
  }
  shared_->accept(shared_);
  return ec;
}

tcp::endpoint Server::local_endpoint() const {
  boost::system::error_code ec;
  const auto endpoint = shared_->acceptor.local_endpoint(ec);
  return ec ? tcp::endpoint{} : endpoint;
}

void Server::stop() {
  if (shared_->stopped) return;
  shared_->stopped = true;
  boost::system::error_code ignored;
  shared_->acceptor.close(ignored);
  for (const auto& weak : shared_->sessions) {
    if (const auto session = weak.lock()) session->close();
  }
  shared_->sessions.clear();
}

}  // namespace camleak::web
