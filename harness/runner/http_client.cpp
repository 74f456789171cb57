#include "harness/runner/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "harness/core/errors.hpp"

namespace camleak::runner {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

HttpUrl parse_http_url(const std::string& url, const std::string& field) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    throw InputError(Diagnostic{.field = field, .message = "expected an http:// URL, got \"" + url + "\""});
  }
  const std::string rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  HttpUrl out;
  out.path = slash == std::string::npos ? "" : rest.substr(slash);
  if (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
  std::string host_port = authority;
  if (!host_port.empty() && host_port.front() == '[') {  // [::1]:8080
    const auto close = host_port.find(']');
    if (close == std::string::npos) {
      throw InputError(Diagnostic{.field = field, .message = "unterminated IPv6 address in \"" + url + "\""});
    }
    out.host = host_port.substr(1, close - 1);
    if (close + 1 < host_port.size() && host_port[close + 1] == ':') out.port = host_port.substr(close + 2);
  } else {
    const auto colon = host_port.rfind(':');
    out.host = host_port.substr(0, colon);
    if (colon != std::string::npos) out.port = host_port.substr(colon + 1);
  }
  if (out.port.empty()) out.port = "80";
  if (out.host.empty()) {
    throw InputError(Diagnostic{.field = field, .message = "no host in \"" + url + "\""});
  }
  return out;
}

HttpResponse http_request(const HttpUrl& base, const std::string& method, const std::string& target,
                          const std::string& body, Micros timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  const std::string where = method + " http://" + base.host + ":" + base.port + base.path + target;
  HttpResponse out;
  beast::error_code ec;
  asio::ip::tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(base.host, base.port, ec);
  if (ec) throw HarnessError(where + ": cannot resolve: " + ec.message());

  http::request<http::string_body> request{http::string_to_verb(method), base.path + target, 11};
  request.set(http::field::host, base.host);
  request.set(http::field::user_agent, "camleak");
  if (!body.empty()) {
    request.set(http::field::content_type, "application/json");
    request.body() = body;
  }
  request.prepare_payload();

  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  bool done = false;
  stream.expires_after(timeout);
  stream.async_connect(endpoints, [&](beast::error_code e, const auto&) {
    if (e) {
      ec = e;
      return;
    }
    stream.expires_after(timeout);
    http::async_write(stream, request, [&](beast::error_code e2, size_t) {
      if (e2) {
        ec = e2;
        return;
      }
      stream.expires_after(timeout);
      http::async_read(stream, buffer, response, [&](beast::error_code e3, size_t) {
        ec = e3;
        done = !e3;
      });
    });
  });
  io.run();
  if (!done) throw HarnessError(where + ": " + (ec ? ec.message() : std::string("no answer")));
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  out.status = static_cast<int>(response.result_int());
  out.body = std::move(response.body());
  return out;
}

}  // namespace camleak::runner
