#pragma once
// A blocking HTTP/1.1 request to 127.0.0.1 on a connection of its own: how the fleet tests and
// the fleet and relay benchmarks provision the reference relay through its admin API. The
// benchmarks compile this file themselves (they are built without the test suite, so they cannot
// link its libraries); it depends on Boost.Beast alone.
#include <cstdint>
#include <string>

namespace camleak::loopback {

struct HttpReply {
  int status = 0;  // 0: no answer (could not connect, or the connection failed)
  std::string body;
};

// Sends `body` as application/json and reads the whole answer.
HttpReply http_request(const std::string& method, uint16_t port, const std::string& target,
                       const std::string& body = {});

}  // namespace camleak::loopback
