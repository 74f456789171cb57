// harness/tls: contexts from settings (file problems as InputError), and handshakes between a
// MaybeTlsStream client and server on loopback: trust, names, insecure, client certificates.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <fstream>

#include "harness/core/errors.hpp"
#include "harness/tls/context.hpp"
#include "harness/tls/handshake.hpp"
#include "harness/tls/stream.hpp"
#include "tests/support/test_certificates.hpp"

namespace camleak::tls {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using testing::TestCertificates;

std::string input_error_text(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST(TlsContext, MissingFilesNameTheFileAndOpenSslsReason) {
  TestCertificates certs;
  const std::string missing = (certs.dir() / "nope.pem").string();
  const std::string cert_error = input_error_text(
      [&] { make_server_context({.cert_file = missing, .key_file = certs.server_key()}); });
  EXPECT_NE(cert_error.find(missing), std::string::npos) << cert_error;
  EXPECT_NE(cert_error.find("cannot load the certificate: "), std::string::npos) << cert_error;
  const std::string ca_error = input_error_text([&] { make_client_context({.ca_file = missing}); });
  EXPECT_NE(ca_error.find(missing), std::string::npos) << ca_error;
  EXPECT_NE(ca_error.find("cannot load the CA certificates: "), std::string::npos) << ca_error;
}

TEST(TlsContext, KeyNotMatchingTheCertificateAndNotPemAreInputErrors) {
  TestCertificates certs;
  const std::string mismatch = input_error_text([&] {
    make_server_context({.cert_file = certs.server_cert(), .key_file = certs.client_key()});
  });
  EXPECT_NE(mismatch.find(certs.client_key()), std::string::npos) << mismatch;
  EXPECT_NE(mismatch.find("key values mismatch"), std::string::npos) << mismatch;
  const std::string garbage = (certs.dir() / "garbage.pem").string();
  std::ofstream(garbage) << "not a certificate\n";
  const std::string not_pem = input_error_text(
      [&] { make_server_context({.cert_file = garbage, .key_file = certs.server_key()}); });
  EXPECT_NE(not_pem.find(garbage), std::string::npos) << not_pem;
  EXPECT_NE(input_error_text([] { make_server_context({}); }).find("needs a certificate"),
            std::string::npos);
}

// One client and one server handshake on loopback, and one line each way once it succeeded.
struct Handshake {
  bool client_ok = false;
  bool server_ok = false;
  std::string client_error;
  std::string echoed;
};

Handshake handshake(ssl::context& server_context, ssl::context& client_context,
                    const std::string& expected_name) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  MaybeTlsStream<tcp::socket> server(io);
  MaybeTlsStream<tcp::socket> client(io);
  Handshake out;
  std::string server_line(5, '\0');
  acceptor.async_accept(server.next_layer(), [&](const boost::system::error_code& ec) {
    if (ec) return;
    server.start_tls(server_context)
        .async_handshake(ssl::stream_base::server, [&](const boost::system::error_code& e) {
          out.server_ok = !e;
          if (e) return server.next_layer().close();
          asio::async_read(
              server, asio::buffer(server_line), [&](const boost::system::error_code& r, size_t) {
                if (!r)
                  asio::async_write(server, asio::buffer(server_line), [](const auto&, size_t) {});
              });
        });
  });
  std::string reply(5, '\0');
  client.next_layer().async_connect(
      acceptor.local_endpoint(), [&](const boost::system::error_code& ec) {
        ASSERT_FALSE(ec) << ec.message();
        auto& tls = client.start_tls(client_context);
        ASSERT_TRUE(expect_server_name(tls.native_handle(), expected_name));
        tls.async_handshake(ssl::stream_base::client, [&](const boost::system::error_code& e) {
          out.client_ok = !e;
          if (e) {
            out.client_error = describe_failure(e, client.tls()->native_handle());
            return client.next_layer().close();
          }
          asio::async_write(client, asio::buffer(std::string_view("hello")),
                            [&](const boost::system::error_code&, size_t) {});
          asio::async_read(client, asio::buffer(reply),
                           [&](const boost::system::error_code& r, size_t) {
                             if (!r) out.echoed = reply;
                             client.next_layer().close();
                           });
        });
      });
  io.run_for(std::chrono::seconds(10));
  return out;
}

TEST(TlsHandshake, VerifiedByTheCaAndTheIpSan) {
  TestCertificates certs;
  auto server = make_server_context(certs.server_settings());
  auto client = make_client_context(certs.client_settings());
  const Handshake h = handshake(*server, *client, "127.0.0.1");
  EXPECT_TRUE(h.client_ok) << h.client_error;
  EXPECT_TRUE(h.server_ok);
  EXPECT_EQ(h.echoed, "hello");
}

TEST(TlsHandshake, WrongCaFailsWithTheVerifyReason) {
  TestCertificates certs;
  auto server = make_server_context(certs.server_settings());
  auto client = make_client_context({.ca_file = certs.other_ca_cert()});
  const Handshake h = handshake(*server, *client, "127.0.0.1");
  EXPECT_FALSE(h.client_ok);
  EXPECT_NE(h.client_error.find("certificate verify failed"), std::string::npos) << h.client_error;
  EXPECT_NE(h.client_error.find("local issuer"), std::string::npos) << h.client_error;
}

TEST(TlsHandshake, AnotherAddressThanTheCertificatesFails) {
  TestCertificates certs;
  auto server = make_server_context(certs.server_settings());
  auto client = make_client_context(certs.client_settings());
  const Handshake h = handshake(*server, *client, "10.1.2.3");
  EXPECT_FALSE(h.client_ok);
  EXPECT_NE(h.client_error.find("IP address mismatch"), std::string::npos) << h.client_error;
  const Handshake dns = handshake(*server, *client, "camera.example");
  EXPECT_FALSE(dns.client_ok);
  EXPECT_NE(dns.client_error.find("hostname mismatch"), std::string::npos) << dns.client_error;
  EXPECT_TRUE(handshake(*server, *client, "localhost").client_ok);
}

TEST(TlsHandshake, InsecureConnectsWhateverTheCertificate) {
  TestCertificates certs;
  auto server = make_server_context(certs.server_settings());
  auto client = make_client_context({.ca_file = certs.other_ca_cert(), .insecure = true});
  const Handshake h = handshake(*server, *client, "10.1.2.3");
  EXPECT_TRUE(h.client_ok) << h.client_error;
  EXPECT_EQ(h.echoed, "hello");
}

TEST(TlsHandshake, ClientCertificateRequiredWhenTheServerHasAClientCa) {
  TestCertificates certs;
  auto server = make_server_context(certs.server_settings(/*require_client_cert=*/true));
  auto anonymous = make_client_context(certs.client_settings());
  const Handshake refused = handshake(*server, *anonymous, "127.0.0.1");
  EXPECT_FALSE(refused.server_ok);
  EXPECT_TRUE(refused.echoed.empty());
  auto identified = make_client_context(certs.client_settings(/*with_client_cert=*/true));
  const Handshake h = handshake(*server, *identified, "127.0.0.1");
  EXPECT_TRUE(h.server_ok);
  EXPECT_EQ(h.echoed, "hello");
}

}  // namespace
}  // namespace camleak::tls
