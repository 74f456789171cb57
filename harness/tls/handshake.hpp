#pragma once
// The per-connection half of a TLS client (which server it expects) and the words for a failed
// handshake, shared by every client and server on ssl::stream.
#include <openssl/ssl.h>

#include <boost/system/error_code.hpp>
#include <string>
#include <string_view>

namespace camleak::tls {

// Before the client handshake on `ssl`: SNI for a DNS name (RFC 6066 forbids IP literals there)
// and, when the context verifies its peer, a check that the certificate names `server_name` (a
// DNS SAN, or an IP SAN for an address). False when OpenSSL refused (out of memory).
bool expect_server_name(SSL* ssl, std::string_view server_name);

// "certificate verify failed: unable to get local issuer certificate": OpenSSL's reason for a
// failed handshake on `ssl`, with the certificate check's verdict when that was the cause.
std::string describe_failure(const boost::system::error_code& ec, SSL* ssl);

}  // namespace camleak::tls
