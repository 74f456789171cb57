#pragma once
// A small asynchronous HTTP/1.1 GET on Boost.Beast for snapshot polling: numeric host (never
// resolved), one connection per request, an overall deadline, and a cap on the body so a
// hostile server cannot make the hub buffer without bound.
//
// The status line and headers are kept as soon as they are parsed: whatever then happens to the
// body (over the cap, never ending, cut, past the deadline), `headers_received`, `status` and
// `content_type` say what the server answered. An authorization probe is judged on that status
// (DESIGN.md verdict rules), so a huge or endless body cannot hide a 200.
//
// HTTPS when the request carries a TLS context: the handshake follows the connect, under the same
// deadline, and its failure is connect_failed (the request was never sent, so a probe refused
// by a certificate check proves nothing either way, like a refused connection).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace camleak::emulators {

struct HttpGetRequest {
  std::string host;  // numeric IPv4/IPv6 address
  uint16_t port = 80;
  std::string method = "GET";
  std::string target;        // "/cameras/cam-1/snapshot"
  std::string body;          // sent as application/json when not empty
  std::string bearer_token;  // Authorization: Bearer ... when non-empty
  std::vector<std::pair<std::string, std::string>> headers;  // more, set after the defaults
  std::chrono::milliseconds timeout{5'000};                  // connect + request + whole response
  std::size_t max_body_bytes = 4u << 20;
  std::size_t max_header_bytes = 16u << 10;
  // HTTPS with this client context (tls/context.hpp), shared by a hub's requests; null: HTTP.
  std::shared_ptr<boost::asio::ssl::context> tls;
  // The name the server's certificate must carry (and the SNI when a DNS name); empty: `host`.
  std::string server_name;
};

struct HttpGetResult {
  enum class Outcome {
    response,        // a complete response arrived (any status)
    connect_failed,  // nothing was sent (connect or TLS handshake failed): it did not happen
    cut,             // connection closed or reset after the request was sent
    timeout,         // deadline passed (request possibly seen by the server)
    too_large,       // header or body over its cap: reading stopped
    protocol,        // not parseable as HTTP
    bad_request,     // the request itself could not be built (bad host)
  };
  Outcome outcome = Outcome::connect_failed;
  bool request_sent = false;      // the request bytes were written
  bool headers_received = false;  // status line and headers parsed (true for every `response`)
  int status = 0;                 // set whenever headers_received, whatever the outcome
  std::string content_type;       // likewise ("" when the server sent none)
  std::vector<uint8_t> body;      // complete only for `response`
  std::string message;            // why, for failures
};

std::string_view to_string(HttpGetResult::Outcome outcome);

// Runs the GET on `io`; `done` runs exactly once on the io_context.
void http_get(boost::asio::io_context& io, HttpGetRequest request,
              std::function<void(HttpGetResult&&)> done);

}  // namespace camleak::emulators
