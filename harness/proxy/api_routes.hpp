#pragma once
// The control API's request handling, without the HTTP transport: Toxiproxy 2.x's routes,
// status codes and error bodies, plus camleak's /proxies/{p}/stats, /proxies/{p}/reset and
// /events. Runs on the proxy's io_context thread.
#include <string>
#include <string_view>

#include "harness/proxy/proxy.hpp"

namespace camleak::proxy {

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, e.g. "/events?since=10"
  std::string body;
  std::string user_agent;
};

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON, or empty (204)
};

// Toxiproxy's error answer: {"error": message, "status": status}, the body every client parses.
ApiResponse api_error(int status, const std::string& message);

class ApiRoutes {
 public:
  ApiRoutes(Proxy& proxy, std::string version) : proxy_(proxy), version_(std::move(version)) {}
  ApiResponse handle(const ApiRequest& request);

 private:
  ApiResponse dispatch(const ApiRequest& request);

  Proxy& proxy_;
  std::string version_;
};

}  // namespace camleak::proxy
