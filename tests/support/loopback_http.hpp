#pragma once
// One blocking HTTP/1.1 request to 127.0.0.1 on a connection of its own (5 s socket timeouts):
// how every test and benchmark talks to an admin, snapshot or control API. The benchmarks
// compile this file themselves (they are built without the test suite, so they cannot link its
// libraries); it depends on Boost.Beast alone.
#include <cstdint>
#include <string>

namespace camleak::loopback {

struct HttpReply {
  int status = 0;  // 0: no answer (could not connect, timed out, or the connection failed)
  std::string body;
  std::string content_type;
};

struct HttpOptions {
  std::string authorization;  // the Authorization header, when not empty
  std::string user_agent;     // the User-Agent header, when not empty
};

// Sends `body` (as application/json when not empty) and reads the whole answer (up to 64 MiB).
HttpReply http_request(const std::string& method, uint16_t port, const std::string& target,
                       const std::string& body = {}, const HttpOptions& options = {});

}  // namespace camleak::loopback
