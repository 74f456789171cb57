#pragma once
// A small blocking HTTP/1.1 client for the run loop's control traffic (SUT provisioning,
// readiness probes): one request per connection, every step under a deadline. Media traffic
// never goes through here.
#include <string>

#include "harness/core/clock.hpp"

namespace camleak::runner {

struct HttpUrl {
  std::string host;
  std::string port;
  std::string path;  // starts with '/'
};

// Parses "http://host:port/path" (path optional). Throws InputError naming `field` otherwise.
HttpUrl parse_http_url(const std::string& url, const std::string& field);

struct HttpResponse {
  int status = 0;
  std::string body;
};

// Sends one request and reads the whole answer. Throws HarnessError when the server cannot be
// reached or does not answer within `timeout`.
HttpResponse http_request(const HttpUrl& base, const std::string& method, const std::string& target,
                          const std::string& body = {}, Micros timeout = std::chrono::seconds(5));

}  // namespace camleak::runner
