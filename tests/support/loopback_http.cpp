#include "tests/support/loopback_http.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <exception>

namespace camleak::loopback {

namespace asio = boost::asio;
namespace http = boost::beast::http;

HttpReply http_request(const std::string& method, uint16_t port, const std::string& target,
                       const std::string& body, const HttpOptions& options) {
  HttpReply reply;
  try {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    // A SUT that never answers must fail the test, not hang it.
    timeval tv{5, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    http::request<http::string_body> request(http::string_to_verb(method), target, 11);
    request.set(http::field::host, "127.0.0.1");
    if (!options.authorization.empty()) {
      request.set(http::field::authorization, options.authorization);
    }
    if (!options.user_agent.empty()) request.set(http::field::user_agent, options.user_agent);
    if (!body.empty()) {
      request.set(http::field::content_type, "application/json");
      request.body() = body;
    }
    request.prepare_payload();
    http::write(socket, request);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    http::read(socket, buffer, parser);
    auto response = parser.release();
    reply.status = static_cast<int>(response.result_int());
    reply.body = std::move(response.body());
    reply.content_type = std::string(response[http::field::content_type]);
  } catch (const std::exception&) {
    reply = {};  // no answer: status 0
  }
  return reply;
}

}  // namespace camleak::loopback
