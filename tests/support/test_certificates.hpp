#pragma once
// A throwaway PKI for TLS tests, made with the OpenSSL C API in a temporary directory (removed
// with the object): a CA, a server certificate for 127.0.0.1, ::1 and localhost (IP and DNS
// SANs) and a client certificate signed by that CA, plus a second, unrelated CA for "wrong
// trust anchor" cases. EC P-256 keys, so making one costs milliseconds.
#include <filesystem>
#include <string>

#include "harness/tls/settings.hpp"

namespace camleak::testing {

class TestCertificates {
 public:
  // Throws std::runtime_error naming the OpenSSL call that failed.
  TestCertificates();
  ~TestCertificates();
  TestCertificates(const TestCertificates&) = delete;
  TestCertificates& operator=(const TestCertificates&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::string ca_cert() const { return file("ca.pem"); }
  std::string other_ca_cert() const { return file("other-ca.pem"); }
  std::string server_cert() const { return file("server.pem"); }
  std::string server_key() const { return file("server.key"); }
  std::string client_cert() const { return file("client.pem"); }
  std::string client_key() const { return file("client.key"); }

  // Trusts the test CA; presents the client certificate when `with_client_cert`.
  tls::TlsClientSettings client_settings(bool with_client_cert = false) const;
  // Serves the server certificate; requires a client certificate of the test CA when
  // `require_client_cert`.
  tls::TlsServerSettings server_settings(bool require_client_cert = false) const;

 private:
  std::string file(const char* name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

}  // namespace camleak::testing
