#include "emulators/relay/http_server.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "emulators/relay/relay_core.hpp"
#include "harness/core/errors.hpp"

namespace camleak::relay {
namespace {

namespace http = boost::beast::http;

HttpResponse relay_response(unsigned status, std::string body, std::string_view content_type) {
  HttpResponse response;
  response.result(static_cast<http::status>(status));
  response.set(http::field::server, "camleak-relay");
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  return response;
}

std::string error_body(std::string_view message) {
  return boost::json::serialize(boost::json::object{{"error", message}}) + "\n";
}

web::ServerOptions server_options(RelayCore& core, bool capped) {
  const RelayConfig& config = core.config();
  return {.header_limit = config.limits.max_header_bytes,
          .body_limit = config.limits.max_body_bytes,
          .deadline = config.timeouts.http_idle,
          .refusal =
              [](unsigned status, const std::string& message) {
                return relay_response(status, error_body(message), "application/json");
              },
          .admit =
              [&core, capped] {
                if (capped && core.connection_limit_reached()) {
                  ++core.counters.http_connections_refused;
                  return false;
                }
                ++core.counters.http_connections_accepted;
                if (capped) ++core.http_connections;
                return true;
              },
          .closed =
              [&core, capped] {
                if (capped) --core.http_connections;
              },
          .requested =
              [&core](bool malformed) {
                ++core.counters.http_requests;
                if (malformed) ++core.counters.http_bad_requests;
              }};
}

// The relay's TLS context (null: plain HTTP), its failed handshakes counted.
web::ServerOptions with_tls(web::ServerOptions options, RelayCore& core) {
  options.tls = core.tls;
  options.handshake_failed = [&core](const std::string&) {
    ++core.counters.tls_handshake_failures;
  };
  return options;
}

}  // namespace

HttpResponse make_response(const HttpRequest& request, unsigned status, std::string body,
                           std::string_view content_type) {
  HttpResponse response = relay_response(status, std::move(body), content_type);
  response.version(request.version());
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

HttpResponse json_error(const HttpRequest& request, unsigned status, std::string_view message) {
  return make_response(request, status, error_body(message));
}

HttpServer::HttpServer(RelayCore& core, const ListenAddress& address, Handler handler,
                       std::string name, bool capped)
    : server_(core.executor(), with_tls(server_options(core, capped), core), std::move(handler)) {
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(address.host, ec);
  if (ec) {
    throw HarnessError(name + " listen address `" + address.host + "` is not a numeric IP address");
  }
  if (const auto failed = server_.listen({ip, address.port})) {
    throw HarnessError("cannot listen for " + name + " on " + format_host_port(address) + ": " +
                       failed.message());
  }
}

}  // namespace camleak::relay
