#pragma once
// What a TLS endpoint is told: files in PEM, as users write them in scenarios, relay configs and
// CLI flags. Plain values; context.hpp turns them into an OpenSSL context.
#include <string>

namespace camleak::tls {

struct TlsClientSettings {
  std::string ca_file;    // trusted CAs; empty: the system's default paths
  std::string cert_file;  // client certificate (chain), for servers that ask for one
  std::string key_file;   // its private key; empty: the key is in cert_file
  // No verification of the server's certificate at all. Only ever set by an explicit flag: a
  // certification run must not pass against a server nobody checked.
  bool insecure = false;
};

struct TlsServerSettings {
  std::string cert_file;       // server certificate (chain)
  std::string key_file;        // its private key; empty: the key is in cert_file
  std::string client_ca_file;  // non-empty: clients must present a certificate signed by these
};

}  // namespace camleak::tls
