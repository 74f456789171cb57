#include "harness/proxy/control_api.hpp"

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "harness/proxy/endpoint.hpp"
#include "harness/proxy/resolve.hpp"

namespace camleak::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

constexpr size_t kBodyLimit = 1 << 20;
constexpr auto kRequestTimeout = std::chrono::seconds(30);

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, std::shared_ptr<ApiRoutes> routes)
      : stream_(std::move(socket)), routes_(std::move(routes)) {}

  void read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    stream_.expires_after(kRequestTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return close();
    if (ec) {
      // A malformed or oversized request gets an answer once, then the connection closes (the
      // rest of the request cannot be framed); anything else (timeout, reset) just closes.
      if (ec == http::error::body_limit) {
        respond(api_error(413, "request body too large: at most " + std::to_string(kBodyLimit) +
                                   " bytes"),
                request_version(), false);
      } else if (ec == http::error::header_limit) {
        respond(api_error(431, "request header too large"), request_version(), false);
      } else if (ec == http::error::bad_target || ec == http::error::bad_method ||
                 ec == http::error::bad_version) {
        respond(api_error(400, "bad request: " + ec.message()), request_version(), false);
      }
      return;
    }
    const auto& req = parser_->get();
    const ApiRequest request{.method = std::string(req.method_string()),
                             .target = std::string(req.target()),
                             .body = req.body(),
                             .user_agent = std::string(req[http::field::user_agent])};
    respond(routes_->handle(request), req.version(), req.keep_alive());
  }

  void respond(const ApiResponse& r, unsigned version, bool keep_alive) {
    response_ = {};
    response_.version(version);
    response_.result(static_cast<http::status>(r.status));
    response_.set(http::field::server, "camleak");
    if (!r.body.empty()) {
      response_.set(http::field::content_type, "application/json");
      response_.body() = r.body;
    }
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                        if (ec) return self->close();
                        if (!keep_alive) return self->linger();
                        self->read();
                      });
  }

  // The HTTP version of the request being answered, once its header has been read.
  unsigned request_version() const {
    return parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  // Closes after an answer given before the request was read to its end (413): closing a socket
  // with unread bytes makes the kernel reset the connection, and a client still sending its body
  // would then lose the answer. So, as web servers' lingering close does, stop sending and
  // discard what still arrives until the client closes or the request deadline passes.
  void linger() {
    close();
    stream_.expires_after(kRequestTimeout);
    discard();
  }

  void discard() {
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (!ec) self->discard();
                            });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  std::shared_ptr<ApiRoutes> routes_;
  std::array<char, 16384> discard_{};
};

}  // namespace

struct ControlApi::State : std::enable_shared_from_this<ControlApi::State> {
  State(asio::io_context& io, std::shared_ptr<ApiRoutes> r) : acceptor(io), routes(std::move(r)) {}

  void accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (!self->acceptor.is_open()) return;
      if (!ec) std::make_shared<HttpSession>(std::move(socket), self->routes)->read();
      self->accept();
    });
  }

  tcp::acceptor acceptor;
  std::shared_ptr<ApiRoutes> routes;
};

ControlApi::ControlApi(Proxy& proxy, const std::string& address, std::string version)
    : state_(std::make_shared<State>(proxy.io_context(),
                                     std::make_shared<ApiRoutes>(proxy, std::move(version)))) {
  const tcp::endpoint endpoint = resolve_listen<tcp>(proxy.io_context(), address, "api");
  beast::error_code ec;
  auto& a = state_->acceptor;
  const auto fail = [&] {
    throw ProxyError(ProxyError::Kind::listen_failed,
                     "control API: cannot listen on " + address + ": " + ec.message());
  };
  a.open(endpoint.protocol(), ec);
  if (ec) fail();
  a.set_option(asio::socket_base::reuse_address(true), ec);
  a.bind(endpoint, ec);
  if (ec) fail();
  a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail();
  port_ = a.local_endpoint(ec).port();
  state_->accept();
}

ControlApi::~ControlApi() {
  stop();
}

std::string ControlApi::address() const {
  beast::error_code ec;
  const auto ep = state_->acceptor.local_endpoint(ec);
  return ec ? "" : format_host_port(ep.address(), ep.port());
}

void ControlApi::stop() {
  beast::error_code ignored;
  state_->acceptor.close(ignored);
}

}  // namespace camleak::proxy
