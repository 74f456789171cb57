#include "harness/tls/handshake.hpp"

#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

namespace camleak::tls {

bool expect_server_name(SSL* ssl, std::string_view server_name) {
  if (server_name.empty()) return true;
  const std::string name(server_name);
  boost::system::error_code ec;
  boost::asio::ip::make_address(name, ec);
  const bool is_address = !ec;
  if (!is_address && SSL_set_tlsext_host_name(ssl, name.c_str()) != 1) return false;
  // An insecure context checks nothing, the name included.
  if ((SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) == 0) return true;
  // In the chain check itself (not a verify callback), so a mismatch has its own verify
  // result ("hostname mismatch", "IP address mismatch") for describe_failure.
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (is_address) return X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) == 1;
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size()) == 1;
}

std::string describe_failure(const boost::system::error_code& ec, SSL* ssl) {
  std::string out = ec.message();
  if (ssl == nullptr) return out;
  const long verdict = SSL_get_verify_result(ssl);
  if (verdict != X509_V_OK) out += ": " + std::string(X509_verify_cert_error_string(verdict));
  return out;
}

}  // namespace camleak::tls
