#include "emulators/hub/http_get.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/vector_body.hpp>
#include <boost/beast/http/write.hpp>
#include <memory>
#include <optional>

#include "harness/tls/handshake.hpp"
#include "harness/tls/stream.hpp"

namespace camleak::emulators {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Outcome = HttpGetResult::Outcome;

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::response:
      return "response";
    case Outcome::connect_failed:
      return "connect_failed";
    case Outcome::cut:
      return "cut";
    case Outcome::timeout:
      return "timeout";
    case Outcome::too_large:
      return "too_large";
    case Outcome::protocol:
      return "protocol";
    case Outcome::bad_request:
      return "bad_request";
  }
  return "unknown";
}

namespace {

class HttpGet : public std::enable_shared_from_this<HttpGet> {
 public:
  HttpGet(asio::io_context& io, HttpGetRequest request, std::function<void(HttpGetResult&&)> done)
      : stream_(io),
        request_(std::move(request)),
        done_(std::move(done)),
        buffer_(request_.max_header_bytes + request_.max_body_bytes + 64 * 1024) {}

  void start(const asio::ip::tcp::endpoint& endpoint) {
    http_request_.method(http::string_to_verb(request_.method));
    http_request_.target(request_.target);
    http_request_.version(11);
    const bool v6 = endpoint.address().is_v6();
    http_request_.set(http::field::host, (v6 ? "[" + request_.host + "]" : request_.host) + ":" +
                                             std::to_string(request_.port));
    http_request_.set(http::field::user_agent, "camleak-hub");
    http_request_.set(http::field::connection, "close");
    if (!request_.bearer_token.empty()) {
      http_request_.set(http::field::authorization, "Bearer " + request_.bearer_token);
    }
    if (!request_.body.empty()) {
      http_request_.set(http::field::content_type, "application/json");
      http_request_.body() = request_.body;
      http_request_.prepare_payload();
    }
    for (const auto& [name, value] : request_.headers) http_request_.set(name, value);
    parser_.emplace();
    parser_->body_limit(request_.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(request_.max_header_bytes));

    stream_.next_layer().expires_after(request_.timeout);
    stream_.next_layer().async_connect(endpoint,
                                       [self = shared_from_this()](const beast::error_code& ec) {
                                         if (ec) return self->finish_error(ec, "connect");
                                         if (self->request_.tls) return self->handshake();
                                         self->write();
                                       });
  }

 private:
  // Under the deadline the connect started (tcp_stream's expiry covers every step).
  void handshake() {
    auto& tls = stream_.start_tls(*request_.tls);
    const std::string& name = request_.server_name.empty() ? request_.host : request_.server_name;
    if (!tls::expect_server_name(tls.native_handle(), name)) {
      return finish_error(asio::error::no_memory, "TLS handshake");
    }
    tls.async_handshake(asio::ssl::stream_base::client,
                        [self = shared_from_this()](const beast::error_code& ec) {
                          if (ec) return self->finish_error(ec, "TLS handshake");
                          self->write();
                        });
  }

  void write() {
    http::async_write(stream_, http_request_,
                      [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                        if (ec) return self->finish_error(ec, "write");
                        self->result_.request_sent = true;
                        self->read();
                      });
  }

  // Header first, then the body: the status must survive whatever the body does.
  void read() {
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                              if (ec) return self->finish_error(ec, "read header");
                              self->take_header();
                              if (self->parser_->is_done()) return self->finish_response();
                              self->read_body();
                            });
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                       if (ec) return self->finish_error(ec, "read body");
                       self->finish_response();
                     });
  }

  void take_header() {
    const auto& message = parser_->get();
    result_.headers_received = true;
    result_.status = static_cast<int>(message.result_int());
    result_.content_type = std::string(message[http::field::content_type]);
  }

  void finish_response() {
    result_.outcome = Outcome::response;
    result_.body = std::move(parser_->release().body());
    close_and_report();
  }

  void finish_error(const beast::error_code& ec, const char* step) {
    // A Content-Length over the cap fails the header read, but only once the whole header has
    // been parsed: the status is known then too.
    if (!result_.headers_received && parser_ && parser_->is_header_done()) take_header();
    const std::string_view step_name(step);
    const bool before_request = step_name == "connect" || step_name == "TLS handshake";
    result_.message = std::string(step) + ": " +
                      (stream_.secure() ? tls::describe_failure(ec, stream_.tls()->native_handle())
                                        : ec.message());
    if (ec == beast::error::timeout) {
      result_.outcome = Outcome::timeout;
    } else if (ec == http::error::body_limit || ec == http::error::header_limit ||
               ec == http::error::buffer_overflow) {
      result_.outcome = Outcome::too_large;
    } else if (!result_.request_sent && before_request) {
      result_.outcome = Outcome::connect_failed;
    } else if (ec.category() == make_error_code(http::error::end_of_stream).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message) {
      result_.outcome = Outcome::protocol;
    } else {
      result_.outcome = Outcome::cut;
    }
    close_and_report();
  }

  void close_and_report() {
    beast::error_code ignored;
    stream_.next_layer().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.next_layer().close();
    auto done = std::move(done_);
    done(std::move(result_));
  }

  tls::MaybeTlsStream<beast::tcp_stream> stream_;
  HttpGetRequest request_;
  std::function<void(HttpGetResult&&)> done_;
  http::request<http::string_body> http_request_;
  std::optional<http::response_parser<http::vector_body<uint8_t>>> parser_;
  beast::flat_buffer buffer_;
  HttpGetResult result_;
};

}  // namespace

void http_get(asio::io_context& io, HttpGetRequest request,
              std::function<void(HttpGetResult&&)> done) {
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(request.host, ec);
  if (ec) {
    HttpGetResult result;
    result.outcome = Outcome::bad_request;
    result.message = "host \"" + request.host + "\" is not a numeric IP address";
    asio::post(io, [done = std::move(done), result = std::move(result)]() mutable {
      done(std::move(result));
    });
    return;
  }
  const asio::ip::tcp::endpoint endpoint(address, request.port);
  auto get = std::make_shared<HttpGet>(io, std::move(request), std::move(done));
  get->start(endpoint);
}

}  // namespace camleak::emulators
