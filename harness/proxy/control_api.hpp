#pragma once
// The HTTP transport of the control API (Boost.Beast), on the proxy's io_context, default
// 127.0.0.1:8474 as Toxiproxy. Keep-alive, bodies up to 1 MiB (a larger one is answered 413 with
// Toxiproxy's JSON error body), 30 s per request.
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "harness/proxy/api_routes.hpp"
#include "harness/proxy/proxy.hpp"

namespace camleak::proxy {

class ControlApi {
 public:
  // Binds `address` ("host:port", port 0 allowed) right away and serves once the io_context
  // runs. Throws ProxyError(listen_failed) when the address is taken. Construct and destroy it
  // on the io_context's thread or while that io_context is not running.
  ControlApi(Proxy& proxy, const std::string& address, std::string version);
  ~ControlApi();
  ControlApi(const ControlApi&) = delete;
  ControlApi& operator=(const ControlApi&) = delete;

  uint16_t port() const { return port_; }
  std::string address() const;
  void stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
  uint16_t port_ = 0;
};

}  // namespace camleak::proxy
