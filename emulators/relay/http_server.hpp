#pragma once
// The relay's admin API and snapshot endpoint on the shared web::Server: the relay's limits,
// its counters, its error body, and the connection cap.
#include <functional>
#include <memory>
#include <string>

#include "emulators/relay/config.hpp"
#include "harness/web/server.hpp"

namespace camleak::relay {

class RelayCore;

using HttpRequest = web::Request;
using HttpResponse = web::Response;
using Respond = web::Respond;

// A response with a JSON or text body and the relay's headers set.
HttpResponse make_response(const HttpRequest& request, unsigned status, std::string body,
                           std::string_view content_type = "application/json");
// {"error": message} with `status`.
HttpResponse json_error(const HttpRequest& request, unsigned status, std::string_view message);

class HttpServer {
 public:
  using Handler = web::Handler;

  // Binds and serves on the relay's strand (throws HarnessError naming the address when it
  // cannot). `capped`: connections count toward limits.max_connections. The admin port is not
  // capped so the relay stays observable and controllable during a connection flood.
  HttpServer(RelayCore& core, const ListenAddress& address, Handler handler, std::string name,
             bool capped);

  uint16_t port() const { return server_.local_endpoint().port(); }
  // Stops accepting and closes every open connection.
  void stop() { server_.stop(); }

 private:
  web::Server server_;
};

}  // namespace camleak::relay
