#pragma once
// The HTTP transport of the control API (web::Server), on the proxy's io_context, default
// 127.0.0.1:8474 as Toxiproxy. Keep-alive, bodies up to 1 MiB (a larger one is answered 413 with
// Toxiproxy's JSON error body), 30 s per request.
#include <memory>
#include <string>

#include "harness/proxy/api_routes.hpp"
#include "harness/proxy/proxy.hpp"
#include "harness/web/server.hpp"

namespace camleak::proxy {

class ControlApi {
 public:
  // Binds `address` ("host:port", port 0 allowed) right away and serves once the io_context
  // runs. Throws ProxyError(listen_failed) when the address is taken. Construct and destroy it
  // on the io_context's thread or while that io_context is not running.
  ControlApi(Proxy& proxy, const std::string& address, std::string version);

  uint16_t port() const;
  std::string address() const;
  // Stops accepting and closes the open connections.
  void stop();

 private:
  std::shared_ptr<ApiRoutes> routes_;
  web::Server server_;
};

}  // namespace camleak::proxy
