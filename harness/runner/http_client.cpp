#include "harness/runner/http_client.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <exception>
#include <optional>

#include "harness/core/host_port.hpp"
#include "harness/tls/handshake.hpp"
#include "harness/tls/stream.hpp"

namespace camleak::runner {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

HttpUrl parse_http_url(const std::string& url, const std::string& field) {
  const bool secure = url.rfind("https://", 0) == 0;
  if (!secure && url.rfind("http://", 0) != 0) {
    throw InputError(Diagnostic{
        .field = field, .message = "expected an http:// or https:// URL, got \"" + url + "\""});
  }
  const std::string rest = url.substr(secure ? 8 : 7);
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  HttpUrl out;
  out.secure = secure;
  out.path = slash == std::string::npos ? "" : rest.substr(slash);
  if (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
  const AuthorityParse parsed = parse_authority(authority);
  if (!parsed.authority) {
    throw InputError(Diagnostic{.field = field, .message = parsed.error + " in \"" + url + "\""});
  }
  out.host = parsed.authority->host;
  out.port = parsed.authority->port.value_or(secure ? 443 : 80);
  if (out.host.empty()) {
    throw InputError(Diagnostic{.field = field, .message = "no host in \"" + url + "\""});
  }
  return out;
}

namespace {

bool idempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS";
}

// How a kept-alive connection the server has closed meanwhile fails a request: before any
// byte of an answer, so the request can be sent again.
bool closed_by_peer(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || tls::is_end_of_stream(ec) ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted;
}

constexpr auto kInterruptPoll = std::chrono::milliseconds(50);

}  // namespace

struct HttpClient::Impl {
  struct Connection {
    explicit Connection(asio::io_context& io) : stream(io) {}
    tls::MaybeTlsStream<beast::tcp_stream> stream;  // a new TLS session per TCP connection
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
    bool open = false;
    size_t answered = 0;  // answers read on the current TCP connection
  };

  Impl(HttpUrl b, HttpClientOptions o) : base(std::move(b)), options(std::move(o)), poll(io) {
    if (options.connections == 0) options.connections = 1;
    if (base.secure && !options.tls) {
      throw InputError(Diagnostic{.message = "https://" + format_host_port(base.host, base.port) +
                                             ": an https:// URL needs TLS settings"});
    }
  }

  ~Impl() {
    for (auto& c : connections) close(*c);
  }

  std::string where(const HttpCall& call) const {
    return call.method + (options.tls ? " https://" : " http://") +
           format_host_port(base.host, base.port) + base.path + call.target;
  }

  bool interrupt_requested() const {
    return options.interrupted != nullptr && options.interrupted->load();
  }

  void run(const std::vector<HttpCall>& batch, const OnAnswer& answer) {
    if (batch.empty()) return;
    if (!endpoints) {
      beast::error_code ec;
      asio::ip::tcp::resolver resolver(io);
      auto resolved = resolver.resolve(base.host, std::to_string(base.port), ec);
      if (ec) throw HarnessError(where(batch.front()) + ": cannot resolve: " + ec.message());
      endpoints = std::move(resolved);
    }
    calls = &batch;
    on_answer = &answer;
    next = 0;
    stopping = false;
    interrupted = false;
    failure = nullptr;
    const size_t workers = std::min(options.connections, batch.size());
    while (connections.size() < workers) connections.push_back(std::make_unique<Connection>(io));
    active = workers;
    for (size_t i = 0; i < workers; ++i) next_call(*connections[i]);
    if (options.interrupted != nullptr && active > 0) arm_poll();
    io.restart();
    io.run();
    calls = nullptr;
    on_answer = nullptr;
    if (failure) std::rethrow_exception(failure);
    if (interrupted) throw HttpInterrupted("interrupted");
  }

  void arm_poll() {
    poll.expires_after(kInterruptPoll);
    poll.async_wait([this](const beast::error_code& ec) {
      if (ec || active == 0) return;
      if (interrupt_requested()) {
        interrupted = true;
        stop_all();
        return;
      }
      arm_poll();
    });
  }

  void next_call(Connection& c) {
    if (stopping) return worker_done();
    if (interrupt_requested()) {
      interrupted = true;
      stop_all();
      return worker_done();
    }
    if (next >= calls->size()) return worker_done();
    send(c, next++, false);
  }

  void send(Connection& c, size_t index, bool resent) {
    const HttpCall& call = (*calls)[index];
    c.request = {http::string_to_verb(call.method), base.path + call.target, 11};
    c.request.set(http::field::host, base.host);
    c.request.set(http::field::user_agent, "camleak");
    if (!call.body.empty()) {
      c.request.set(http::field::content_type, "application/json");
      c.request.body() = call.body;
    }
    for (const auto& [name, value] : call.headers) c.request.set(name, value);
    c.request.keep_alive(true);
    c.request.prepare_payload();
    c.response = {};
    if (c.open) return write(c, index, resent);
    c.buffer.clear();
    c.stream.next_layer().expires_after(options.timeout);
    c.stream.next_layer().async_connect(
        *endpoints, [this, &c, index, resent](const beast::error_code& ec, const auto&) {
          if (stopping) return worker_done();
          if (ec) return fail(c, index, ec);
          ++connects;
          if (options.tls) return handshake(c, index, resent);
          opened(c, index, resent);
        });
  }

  // Under the connect's deadline (the stream's expiry is still running).
  void handshake(Connection& c, size_t index, bool resent) {
    auto& tls = c.stream.start_tls(*options.tls);
    if (!tls::expect_server_name(tls.native_handle(), base.host)) {
      return fail(c, index, asio::error::no_memory);
    }
    tls.async_handshake(asio::ssl::stream_base::client,
                        [this, &c, index, resent](const beast::error_code& ec) {
                          if (stopping) return worker_done();
                          if (ec) return fail(c, index, ec);
                          opened(c, index, resent);
                        });
  }

  void opened(Connection& c, size_t index, bool resent) {
    c.open = true;
    c.answered = 0;
    write(c, index, resent);
  }

  void write(Connection& c, size_t index, bool resent) {
    c.stream.next_layer().expires_after(options.timeout);
    http::async_write(
        c.stream, c.request, [this, &c, index, resent](const beast::error_code& ec, size_t) {
          if (stopping) return worker_done();
          if (ec) return resend_or_fail(c, index, resent, ec);
          c.stream.next_layer().expires_after(options.timeout);
          http::async_read(c.stream, c.buffer, c.response,
                           [this, &c, index, resent](const beast::error_code& ec2, size_t) {
                             if (stopping) return worker_done();
                             if (ec2) return resend_or_fail(c, index, resent, ec2);
                             answered(c, index);
                           });
        });
  }

  void answered(Connection& c, size_t index) {
    ++c.answered;
    HttpResponse out;
    out.status = static_cast<int>(c.response.result_int());
    out.body = std::move(c.response.body());
    if (!c.response.keep_alive()) close(c);
    try {
      (*on_answer)((*calls)[index], out);
    } catch (...) {
      failure = std::current_exception();
      stop_all();
      return worker_done();
    }
    next_call(c);
  }

  void resend_or_fail(Connection& c, size_t index, bool resent, const beast::error_code& ec) {
    const bool reused = c.answered > 0;
    close(c);
    if (!resent && reused && closed_by_peer(ec) && idempotent((*calls)[index].method)) {
      return send(c, index, true);
    }
    fail(c, index, ec);
  }

  void fail(Connection& c, size_t index, const beast::error_code& ec) {
    // Read before close(): the TLS session holds the certificate check's verdict.
    const std::string reason = c.stream.secure()
                                   ? tls::describe_failure(ec, c.stream.tls()->native_handle())
                                   : ec.message();
    close(c);
    const std::string why =
        ec == beast::error::timeout
            ? "no answer within " +
                  std::to_string(
                      std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout)
                          .count()) +
                  " ms"
            : reason;
    failure = std::make_exception_ptr(HarnessError(where((*calls)[index]) + ": " + why));
    stop_all();
    worker_done();
  }

  void stop_all() {
    stopping = true;
    for (auto& c : connections) close(*c);
  }

  void close(Connection& c) {
    c.open = false;
    beast::error_code ignored;
    c.stream.next_layer().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    c.stream.next_layer().close();
  }

  void worker_done() {
    if (--active == 0) poll.cancel();
  }

  HttpUrl base;
  HttpClientOptions options;
  asio::io_context io;
  asio::steady_timer poll;
  std::optional<asio::ip::tcp::resolver::results_type> endpoints;
  std::vector<std::unique_ptr<Connection>> connections;
  size_t connects = 0;

  // The batch in progress.
  const std::vector<HttpCall>* calls = nullptr;
  const OnAnswer* on_answer = nullptr;
  size_t next = 0;
  size_t active = 0;  // connections still working on the batch
  bool stopping = false;
  bool interrupted = false;
  std::exception_ptr failure;
};

HttpClient::HttpClient(HttpUrl base, HttpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(base), std::move(options))) {}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::string& body) {
  HttpResponse out;
  impl_->run({HttpCall{method, target, body}},
             [&out](const HttpCall&, const HttpResponse& r) { out = r; });
  return out;
}

void HttpClient::request_all(const std::vector<HttpCall>& calls, const OnAnswer& on_answer) {
  impl_->run(calls, on_answer);
}

size_t HttpClient::connects() const {
  return impl_->connects;
}

HttpResponse http_request(const HttpUrl& base, const std::string& method, const std::string& target,
                          const std::string& body, Micros timeout,
                          std::shared_ptr<boost::asio::ssl::context> tls) {
  HttpClient client(base, HttpClientOptions{.timeout = timeout, .tls = std::move(tls)});
  return client.request(method, target, body);
}

}  // namespace camleak::runner
