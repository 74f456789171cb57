#pragma once
// A small blocking HTTP/1.1 client for the run loop's control traffic (SUT provisioning,
// readiness probes): keep-alive connections reused across requests, every step under a
// deadline, and an interruption flag that abandons what is in flight. Media traffic never goes
// through here. HTTPS when the base URL is https:// (or a TLS context is given): each new
// connection's handshake is part of connecting, under the same deadline.
#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/core/errors.hpp"

namespace camleak::runner {

struct HttpUrl {
  std::string host;     // without brackets
  uint16_t port = 80;   // 443 for https
  std::string path;     // starts with '/'
  bool secure = false;  // https://
};

// Parses "http[s]://host:port/path" (path optional). Throws InputError naming `field` otherwise.
HttpUrl parse_http_url(const std::string& url, const std::string& field);

struct HttpResponse {
  int status = 0;
  std::string body;
};

struct HttpCall {
  std::string method;
  std::string target;  // appended to the base URL's path
  std::string body;    // sent as application/json when not empty
  // Extra headers (an adapter's API key, Authorization), set after the defaults so they win.
  std::vector<std::pair<std::string, std::string>> headers = {};
};

struct HttpClientOptions {
  Micros timeout = std::chrono::seconds(5);  // per request: connecting, sending, the answer
  size_t connections = 1;                    // a batch keeps up to this many requests in flight
  // May be null. Checked between requests and every 50 ms during one: once it is set, what is
  // in flight is abandoned and HttpInterrupted is thrown.
  const std::atomic<bool>* interrupted = nullptr;
  // The TLS client context (tls/context.hpp): required by an https:// base URL, and makes an
  // http:// one's connections TLS too when set. The server's certificate must name base.host.
  std::shared_ptr<boost::asio::ssl::context> tls;
};

// The client's interruption flag was set.
class HttpInterrupted : public HarnessError {
 public:
  using HarnessError::HarnessError;
};

// HTTP/1.1 to one server over keep-alive connections, opened on demand and reused across
// requests and batches. A request whose reused connection turns out closed by the server
// (its idle timeout, a restart) before any answer is sent once more on a new connection, if
// its method is idempotent. One caller at a time.
class HttpClient {
 public:
  // Throws InputError for an https:// base without options.tls.
  explicit HttpClient(HttpUrl base, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Throws HarnessError when the server cannot be reached or does not answer in time.
  HttpResponse request(const std::string& method, const std::string& target,
                       const std::string& body = {});
  // Sends every call, up to options.connections at a time, in no guaranteed order. `on_answer`
  // sees each answer on the calling thread; when it throws, the batch stops (requests in flight
  // are abandoned) and the exception propagates. Throws HarnessError when a request fails.
  using OnAnswer = std::function<void(const HttpCall&, const HttpResponse&)>;
  void request_all(const std::vector<HttpCall>& calls, const OnAnswer& on_answer);

  // TCP connections opened so far.
  size_t connects() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Sends one request on a connection of its own and reads the whole answer. Throws HarnessError
// when the server cannot be reached or does not answer within `timeout`.
HttpResponse http_request(const HttpUrl& base, const std::string& method, const std::string& target,
                          const std::string& body = {}, Micros timeout = std::chrono::seconds(5),
                          std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

}  // namespace camleak::runner
