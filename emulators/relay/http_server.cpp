#include "emulators/relay/http_server.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <optional>

#include "emulators/relay/relay_core.hpp"
#include "harness/core/errors.hpp"

namespace camleak::relay {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

HttpResponse make_response(const HttpRequest& request, unsigned status, std::string body,
                           std::string_view content_type) {
  HttpResponse response{static_cast<http::status>(status), request.version()};
  response.set(http::field::server, "camleak-relay");
  response.set(http::field::content_type, content_type);
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

HttpResponse json_error(const HttpRequest& request, unsigned status, std::string_view message) {
  return make_response(request, status,
                       boost::json::serialize(boost::json::object{{"error", message}}) + "\n");
}

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(HttpServer& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)) {}

  void start() { read(); }

  void close() {
    if (closed_) return;
    closed_ = true;
    if (server_.capped_) --server_.core_.http_connections;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

 private:
  void read() {
    if (closed_) return;
    const auto& limits = server_.core_.config().limits;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(limits.max_header_bytes));
    parser_->body_limit(limits.max_body_bytes);
    stream_.expires_after(server_.core_.config().timeouts.http_idle);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (closed_) return;
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted) {
      return close();
    }
    ++server_.core_.counters.http_requests;
    if (ec) {
      // Malformed or oversized: say why, then close (the stream cannot be framed any more).
      ++server_.core_.counters.http_bad_requests;
      HttpRequest dummy;
      dummy.version(11);
      dummy.keep_alive(false);
      const unsigned status =
          ec == http::error::body_limit || ec == http::error::header_limit ? 413 : 400;
      return write(json_error(dummy, status, "malformed HTTP request: " + ec.message()), true);
    }
    HttpRequest request = parser_->release();
    const bool close_after = !request.keep_alive();
    server_.handler_(request, [self = shared_from_this(), close_after](HttpResponse response) {
      self->write(std::move(response), close_after);
    });
  }

  void write(HttpResponse response, bool close_after) {
    // A deferred answer may come after the relay closed this connection (stop).
    if (closed_) return;
    response_ = std::make_shared<HttpResponse>(std::move(response));
    if (close_after) response_->keep_alive(false);
    stream_.expires_after(server_.core_.config().timeouts.http_idle);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), close_after](beast::error_code ec, size_t) {
                        if (self->closed_) return;
                        if (ec || close_after) return self->close();
                        self->read();
                      });
  }

  HttpServer& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<HttpResponse> response_;
  bool closed_ = false;
};

HttpServer::HttpServer(RelayCore& core, const ListenAddress& address, Handler handler,
                       std::string name, bool capped)
    : core_(core),
      acceptor_(core.executor()),
      handler_(std::move(handler)),
      name_(std::move(name)),
      capped_(capped) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address.host, ec);
  if (ec)
    throw HarnessError(name_ + " listen address `" + address.host +
                       "` is not a numeric IP address");
  const tcp::endpoint endpoint(ip, address.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw HarnessError("cannot listen for " + name_ + " on " + format_host_port(address) + ": " +
                       ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  accept();
}

void HttpServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  alive_.reset();
  boost::system::error_code ec;
  acceptor_.close(ec);
  for (const auto& weak : sessions_) {
    if (const auto session = weak.lock()) session->close();
  }
  sessions_.clear();
}

void HttpServer::accept() {
  if (stopped_) return;
  std::weak_ptr<int> alive = alive_;
  acceptor_.async_accept(
      core_.executor(), [this, alive](boost::system::error_code ec, tcp::socket socket) {
        // The server may be gone when an aborted accept completes.
        if (alive.expired() || stopped_ || ec == asio::error::operation_aborted) return;
        if (!ec) {
          if (capped_ && core_.connection_limit_reached()) {
            ++core_.counters.http_connections_refused;
            socket.close(ec);
          } else {
            ++core_.counters.http_connections_accepted;
            if (capped_) ++core_.http_connections;
            auto session = std::make_shared<HttpSession>(*this, std::move(socket));
            std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
            sessions_.insert(session);
            session->start();
          }
        }
        accept();
      });
}

}  // namespace camleak::relay
