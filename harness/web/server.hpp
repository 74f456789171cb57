#pragma once
// The one HTTP/1.1 server (Boost.Beast) behind the proxy's control API and the relay's admin and
// snapshot ports: keep-alive, bounded header and body, a deadline per request, requests that
// cannot be read answered once (400 malformed, 413 body too large, 431 header too large) in the
// owner's error format, then a lingering close. The handler answers through its Respond, at once
// or later (the relay answers a change once it is durable); a connection reads its next request
// only after the answer is written, so one connection's requests stay in order.
//
// With options.tls each connection first completes a TLS handshake within the deadline, then is
// served the same way inside TLS; a failed handshake (a plain-text client, an untrusted client
// certificate) is told to options.handshake_failed and closes that connection only.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace camleak::web {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// Sends the answer to one request: call it once, on the server's executor. The server sets the
// answer's HTTP version, keep-alive and length from the request.
using Respond = std::function<void(Response)>;
using Handler = std::function<void(const Request&, Respond)>;

struct ServerOptions {
  size_t header_limit = 16 * 1024;
  size_t body_limit = 1 << 20;
  // Reading one request, writing its answer, and the lingering close each get this long.
  std::chrono::milliseconds deadline{30'000};
  // The answer to a request that could not be read, in the owner's error format. Required.
  std::function<Response(unsigned status, const std::string& message)> refusal;
  // Asked for each new connection; false closes it at once (the relay's connection cap).
  std::function<bool()> admit;
  // Told when a connection that was admitted ends.
  std::function<void()> closed;
  // Told of each request read, `malformed` when it could not be.
  std::function<void(bool malformed)> requested;
  // Serve HTTPS with this context (tls/context.hpp); null: plain HTTP.
  std::shared_ptr<boost::asio::ssl::context> tls;
  // Told of each TLS handshake that failed or timed out, with OpenSSL's reason.
  std::function<void(const std::string& reason)> handshake_failed;
};

class Server {
 public:
  // Serves on `executor` (handlers run there) once listening.
  Server(boost::asio::any_io_executor executor, ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens on `endpoint` (port 0: any) and starts accepting; an error leaves the
  // server closed, for the owner to report in its own words.
  boost::system::error_code listen(const boost::asio::ip::tcp::endpoint& endpoint);
  // The bound endpoint; port 0 before listen succeeded.
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Stops accepting and closes every open connection (an answer still pending is dropped).
  void stop();

 private:
  friend class Session;
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

}  // namespace camleak::web
