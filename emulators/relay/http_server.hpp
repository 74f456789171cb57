#pragma once
// A small HTTP/1.1 server on Beast for the relay's admin API and snapshot endpoint: keep-alive,
// bounded headers and bodies, an idle timeout, malformed requests answered 400 with a message.
// The handler runs on the relay's strand and answers through its Respond, at once or later (the
// admin API answers a change once it is durable); the connection reads its next request only
// after the answer is written, so one connection's requests stay in order.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "emulators/relay/config.hpp"

namespace camleak::relay {

class RelayCore;
class HttpSession;

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// A response with a JSON or text body and the usual headers set.
HttpResponse make_response(const HttpRequest& request, unsigned status, std::string body,
                           std::string_view content_type = "application/json");
// {"error": message} with `status`.
HttpResponse json_error(const HttpRequest& request, unsigned status, std::string_view message);

// Sends the answer to one request. Call it exactly once, on the relay's strand.
using Respond = std::function<void(HttpResponse)>;

class HttpServer {
 public:
  using Handler = std::function<void(const HttpRequest&, Respond)>;

  // Binds at once (throws HarnessError naming the address when it cannot).
  // `capped`: connections count toward limits.max_connections. The admin port is not capped
  // so the relay stays observable and controllable during a connection flood.
  HttpServer(RelayCore& core, const ListenAddress& address, Handler handler, std::string name,
             bool capped);
  ~HttpServer();

  uint16_t port() const { return port_; }
  void start();
  void stop();

 private:
  friend class HttpSession;
  void accept();

  RelayCore& core_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Handler handler_;
  std::string name_;
  uint16_t port_ = 0;
  bool stopped_ = false;
  bool capped_ = true;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  std::set<std::weak_ptr<HttpSession>, std::owner_less<std::weak_ptr<HttpSession>>> sessions_;
};

}  // namespace camleak::relay
