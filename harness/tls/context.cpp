#include "harness/tls/context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstring>
#include <string>

#include "harness/core/errors.hpp"

namespace camleak::tls {
namespace {

namespace ssl = boost::asio::ssl;

// OpenSSL's reasons for the call that just failed, innermost first ("No such file or
// directory", "no start line"), and the queue left empty so the next failure does not report
// this one's. The "... lib" entries only say which library passed the failure up: left out.
std::string openssl_reason() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    std::string text;
    if (ERR_SYSTEM_ERROR(e)) {
      text = std::strerror(ERR_GET_REASON(e));
    } else if (const char* reason = ERR_reason_error_string(e)) {
      text = reason;
    } else {
      text = "OpenSSL error " + std::to_string(e);
    }
    if (text.ends_with(" lib") || out.find(text) != std::string::npos) continue;
    if (!out.empty()) out += "; ";
    out += text;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

[[noreturn]] void file_error(const std::string& field, const std::string& file,
                             const std::string& what) {
  throw InputError(
      Diagnostic{.file = file, .field = field, .message = what + ": " + openssl_reason()});
}

void set_protocols(ssl::context& context) {
  // Older protocols are broken (RFC 8996); a vendor relay that speaks only those fails the
  // handshake, which is the finding a certification run should report.
  SSL_CTX* native = context.native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION);
}

// The certificate (chain) and its key, checked against each other so a mismatch is reported
// at load time instead of as a handshake failure of the first client.
void use_identity(ssl::context& context, const std::string& cert_file, const std::string& key_file,
                  const std::string& field) {
  SSL_CTX* native = context.native_handle();
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1) {
    file_error(field + ".cert", cert_file, "cannot load the certificate");
  }
  const std::string& key = key_file.empty() ? cert_file : key_file;
  if (SSL_CTX_use_PrivateKey_file(native, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    file_error(field + ".key", key, "cannot load the private key");
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    file_error(field + ".key", key, "the private key does not match " + cert_file);
  }
}

void trust(ssl::context& context, const std::string& ca_file, const std::string& field) {
  ERR_clear_error();
  if (SSL_CTX_load_verify_locations(context.native_handle(), ca_file.c_str(), nullptr) != 1) {
    file_error(field, ca_file, "cannot load the CA certificates");
  }
}

}  // namespace

std::shared_ptr<ssl::context> make_client_context(const TlsClientSettings& settings) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  set_protocols(*context);
  if (settings.insecure) {
    context->set_verify_mode(ssl::verify_none);
  } else {
    context->set_verify_mode(ssl::verify_peer);
    if (settings.ca_file.empty()) {
      ERR_clear_error();
      if (SSL_CTX_set_default_verify_paths(context->native_handle()) != 1) {
        throw InputError(
            Diagnostic{.field = "tls.ca",
                       .message = "cannot load the system's CA certificates: " + openssl_reason()});
      }
    } else {
      trust(*context, settings.ca_file, "tls.ca");
    }
  }
  if (!settings.cert_file.empty()) {
    use_identity(*context, settings.cert_file, settings.key_file, "tls");
  } else if (!settings.key_file.empty()) {
    throw InputError(Diagnostic{.file = settings.key_file,
                                .field = "tls.key",
                                .message = "a client key without a client certificate"});
  }
  return context;
}

std::shared_ptr<ssl::context> make_server_context(const TlsServerSettings& settings) {
  if (settings.cert_file.empty()) {
    throw InputError(
        Diagnostic{.field = "tls.cert", .message = "a TLS server needs a certificate file"});
  }
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  set_protocols(*context);
  use_identity(*context, settings.cert_file, settings.key_file, "tls");
  if (!settings.client_ca_file.empty()) {
    trust(*context, settings.client_ca_file, "tls.client_ca");
    SSL_CTX* native = context->native_handle();
    // The CA names go in the CertificateRequest, so a client with several identities picks
    // the one this server accepts.
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(settings.client_ca_file.c_str());
    if (names == nullptr) {
      file_error("tls.client_ca", settings.client_ca_file, "cannot read the CA names");
    }
    SSL_CTX_set_client_CA_list(native, names);  // takes ownership
    context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    // Resuming a session whose client was verified needs a context id (else OpenSSL fails the
    // resumption with "session id context uninitialized").
    static constexpr unsigned char kSessionContext[] = "camleak";
    SSL_CTX_set_session_id_context(native, kSessionContext, sizeof kSessionContext - 1);
  }
  return context;
}

}  // namespace camleak::tls
