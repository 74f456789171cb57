// The shared HTTP server on loopback (port 0): answers in request order on a kept-alive
// connection, deferred or not; refuses what it cannot read once, in the owner's format; lets the
// owner admit connections; closes open connections on stop. Every client wait has a deadline.
#include "harness/web/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <thread>

#include "harness/tls/context.hpp"
#include "tests/support/test_certificates.hpp"

namespace camleak::web {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
using namespace std::chrono_literals;

Response text(unsigned status, std::string body) {
  Response r;
  r.result(static_cast<http::status>(status));
  r.body() = std::move(body);
  return r;
}

// A server on its own thread, built before that thread runs.
class Running {
 public:
  Running(ServerOptions options, Handler handler)
      : work_(asio::make_work_guard(io_)),
        server_(io_.get_executor(), std::move(options), std::move(handler)) {
    const auto ec = server_.listen({asio::ip::make_address("127.0.0.1"), 0});
    EXPECT_FALSE(ec) << ec.message();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Running() {
    stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  uint16_t port() const { return server_.local_endpoint().port(); }
  asio::io_context& io() { return io_; }
  void stop() {
    std::promise<void> done;
    asio::post(io_, [&] {
      server_.stop();
      done.set_value();
    });
    done.get_future().wait();
  }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  Server server_;
  std::thread thread_;
};

ServerOptions plain_options() {
  return {.refusal = [](unsigned status, const std::string& message) {
    return text(status, "refused: " + message);
  }};
}

// A client connection whose reads end at EOF or at the deadline.
class Client {
 public:
  explicit Client(uint16_t port) : socket_(io_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
  }
  void send(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }
  // Reads until `done` holds for what arrived, the server closes, or the deadline passes.
  std::string read(const std::function<bool(const std::string&)>& done,
                   std::chrono::milliseconds deadline = 5000ms) {
    closed_ = false;
    read_some(done);
    io_.restart();
    io_.run_for(deadline);
    return received_;
  }
  std::string read_to_close() {
    return read([](const std::string&) { return false; });
  }
  bool closed() const { return closed_; }

 private:
  void read_some(const std::function<bool(const std::string&)>& done) {
    socket_.async_read_some(asio::buffer(buffer_),
                            [this, done](boost::system::error_code ec, size_t n) {
                              received_.append(buffer_.data(), n);
                              if (ec) {
                                closed_ = true;
                                return io_.stop();
                              }
                              if (done(received_)) return io_.stop();
                              read_some(done);
                            });
  }

  asio::io_context io_;
  tcp::socket socket_;
  std::array<char, 4096> buffer_{};
  std::string received_;
  bool closed_ = false;
};

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(WebServer, AnswersInRequestOrderOnAKeptAliveConnectionEvenWhenOneIsDeferred) {
  Running* self = nullptr;  // set before any request arrives
  Running deferred(plain_options(), [&self](const Request& request, Respond respond) {
    if (request.target() == "/slow") {
      // Answered later, from another handler turn: the next request must wait for it.
      asio::post(self->io(), [respond] { respond(text(200, "slow")); });
      return;
    }
    respond(text(200, "fast"));
  });
  self = &deferred;
  Client client(deferred.port());
  client.send(
      "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string answers = client.read_to_close();
  ASSERT_EQ(count_of(answers, "HTTP/1.1 200 OK"), 2u) << answers;
  EXPECT_LT(answers.find("slow"), answers.find("fast")) << answers;
  // The server sets length and keep-alive from the request; the handler set neither.
  EXPECT_EQ(count_of(answers, "Content-Length: 4"), 2u) << answers;
  EXPECT_EQ(count_of(answers, "Connection: close"), 1u) << answers;
  EXPECT_TRUE(client.closed());

  Client old(deferred.port());
  old.send("GET /fast HTTP/1.0\r\n\r\n");
  EXPECT_EQ(old.read_to_close().rfind("HTTP/1.0 200 OK", 0), 0u);
}

TEST(WebServer, RequestsThatCannotBeReadAreRefusedOnceInTheOwnersFormat) {
  std::atomic<int> malformed = 0, read = 0;
  ServerOptions options = plain_options();
  options.header_limit = 256;
  options.body_limit = 10;
  options.requested = [&](bool bad) { bad ? ++malformed : ++read; };
  Running server(options, [](const Request&, Respond respond) { respond(text(200, "ok")); });
  const auto answer_to = [&](const std::string& request) {
    Client client(server.port());
    client.send(request);
    return client.read_to_close();
  };
  const auto big_body = answer_to("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" +
                                  std::string(100, 'b'));
  EXPECT_EQ(big_body.rfind("HTTP/1.1 413", 0), 0u) << big_body;
  EXPECT_NE(big_body.find("refused: request body too large: at most 10 bytes"), std::string::npos);
  const auto big_header =
      answer_to("GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(500, 'h') + "\r\n\r\n");
  EXPECT_EQ(big_header.rfind("HTTP/1.1 431", 0), 0u) << big_header;
  const auto garbage = answer_to("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(garbage.rfind("HTTP/1.1 400", 0), 0u) << garbage;
  EXPECT_NE(garbage.find("refused: malformed HTTP request"), std::string::npos);
  EXPECT_EQ(count_of(big_body + big_header + garbage, "HTTP/1.1"), 3u);  // once each
  EXPECT_EQ(
      answer_to("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 200", 0),
      0u);
  EXPECT_EQ(malformed, 3);
  EXPECT_EQ(read, 1);
}

TEST(WebServer, TheOwnerAdmitsConnectionsAndIsToldWhenEachEnds) {
  std::atomic<int> offered = 0, closed = 0;
  ServerOptions options = plain_options();
  options.admit = [&] { return ++offered > 1; };  // the first is refused
  options.closed = [&] { ++closed; };
  Running server(options, [](const Request&, Respond respond) { respond(text(200, "ok")); });
  Client refused(server.port());
  EXPECT_EQ(refused.read_to_close(), "");
  EXPECT_TRUE(refused.closed());
  {
    Client admitted(server.port());
    admitted.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(admitted.read_to_close().rfind("HTTP/1.1 200", 0), 0u);
    EXPECT_EQ(closed, 0);  // the server lingers until the client closes too
  }
  EXPECT_EQ(offered, 2);
  // Told once, for the admitted connection only.
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (closed == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(2ms);  // polls the server thread's counter
  }
  EXPECT_EQ(closed, 1);
}

TEST(WebServer, StopClosesOpenConnections) {
  Running server(plain_options(),
                 [](const Request&, Respond respond) { respond(text(200, "ok")); });
  Client client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto first = client.read([](const std::string& s) { return s.ends_with("ok"); });
  ASSERT_EQ(first.rfind("HTTP/1.1 200", 0), 0u) << first;
  EXPECT_FALSE(client.closed());  // kept alive
  server.stop();
  client.read_to_close();
  EXPECT_TRUE(client.closed());
  EXPECT_THROW(Client{server.port()}, boost::system::system_error);  // no longer accepting
}

// One request over TLS on a connection of its own: the whole answer, or "" when the handshake or
// the exchange failed (its reason in `error`), within 5 s.
std::string https_exchange(uint16_t port, asio::ssl::context& context, const std::string& request,
                           std::string* error) {
  asio::io_context io;
  asio::ssl::stream<tcp::socket> stream(io, context);
  std::string received;
  std::array<char, 4096> buffer{};
  std::function<void()> read_more = [&] {
    stream.async_read_some(asio::buffer(buffer), [&](boost::system::error_code ec, size_t n) {
      received.append(buffer.data(), n);
      if (!ec) return read_more();
    });
  };
  stream.next_layer().async_connect(
      {asio::ip::make_address("127.0.0.1"), port}, [&](boost::system::error_code ec) {
        if (ec) return void(*error = ec.message());
        stream.async_handshake(asio::ssl::stream_base::client, [&](boost::system::error_code e) {
          if (e) return void(*error = e.message());
          asio::async_write(stream, asio::buffer(request),
                            [&](boost::system::error_code w, size_t) {
                              if (w) return void(*error = w.message());
                              read_more();
                            });
        });
      });
  io.run_for(5s);
  return received;
}

TEST(WebServer, TlsRefusesAPlainTextClientAndServesTheNextTlsClient) {
  testing::TestCertificates certs;
  std::atomic<int> failed_handshakes = 0;
  std::string reason;  // written on the server thread before the plain client sees the close
  ServerOptions options = plain_options();
  options.tls = tls::make_server_context(certs.server_settings());
  options.handshake_failed = [&](const std::string& why) {
    reason = why;
    ++failed_handshakes;
  };
  Running server(std::move(options), [](const Request& request, Respond respond) {
    respond(text(200, "secret " + std::string(request.target())));
  });
  Client plain(server.port());
  plain.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string answer = plain.read_to_close();
  EXPECT_TRUE(plain.closed());
  EXPECT_EQ(answer.find("secret"), std::string::npos) << answer;
  EXPECT_EQ(failed_handshakes.load(), 1);
  EXPECT_FALSE(reason.empty());

  auto client = tls::make_client_context(certs.client_settings());
  std::string error;
  const std::string reply = https_exchange(
      server.port(), *client, "GET /y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", &error);
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply << error;
  EXPECT_TRUE(reply.ends_with("secret /y")) << reply;
}

TEST(WebServer, TlsWithAClientCaRefusesClientsWithoutACertificate) {
  testing::TestCertificates certs;
  std::atomic<int> failed_handshakes = 0;
  ServerOptions options = plain_options();
  options.tls = tls::make_server_context(certs.server_settings(/*require_client_cert=*/true));
  options.handshake_failed = [&](const std::string&) { ++failed_handshakes; };
  Running server(std::move(options),
                 [](const Request&, Respond respond) { respond(text(200, "ok")); });
  const std::string request = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string error;
  auto anonymous = tls::make_client_context(certs.client_settings());
  EXPECT_EQ(https_exchange(server.port(), *anonymous, request, &error).find("200 OK"),
            std::string::npos);
  auto identified = tls::make_client_context(certs.client_settings(/*with_client_cert=*/true));
  error.clear();
  const std::string reply = https_exchange(server.port(), *identified, request, &error);
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply << error;
  EXPECT_EQ(failed_handshakes.load(), 1);
}

}  // namespace
}  // namespace camleak::web
