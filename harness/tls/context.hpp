#pragma once
// TLS settings -> boost::asio::ssl::context, both sides TLS 1.2 or later. A context is shared
// (immutable once made) by every connection of a client or server; the per-connection part,
// which server name a client expects, is in handshake.hpp.
//
// Every problem with a file (missing, unreadable, not PEM, key not matching the certificate) is
// an InputError naming the file and OpenSSL's reason: these files come from the user.
#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "harness/tls/settings.hpp"

namespace camleak::tls {

// Verifies the server against settings.ca_file (or the system's default CA paths) unless
// settings.insecure; presents settings.cert_file when given.
std::shared_ptr<boost::asio::ssl::context> make_client_context(const TlsClientSettings& settings);

// Serves settings.cert_file; requires and verifies a client certificate when client_ca_file is
// set.
std::shared_ptr<boost::asio::ssl::context> make_server_context(const TlsServerSettings& settings);

}  // namespace camleak::tls
