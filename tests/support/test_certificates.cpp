#include "tests/support/test_certificates.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <random>
#include <stdexcept>
#include <system_error>

namespace camleak::testing {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct ExtensionFree {
  void operator()(X509_EXTENSION* ext) const { X509_EXTENSION_free(ext); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificates: ") + what + " failed");
}

Key make_key() {
  Key key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtensionFree> ext(
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  check(ext != nullptr, value);
  check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

struct Spec {
  const char* common_name;
  long serial;
  bool ca = false;
  const char* extended_usage = nullptr;  // "serverAuth", "clientAuth"
  const char* alt_names = nullptr;
};

// Signed by `issuer` with `issuer_key`; self-signed when issuer is null.
Cert make_cert(const Spec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  Cert cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509* x = cert.get();
  check(X509_set_version(x, 2) == 1, "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(x), spec.serial) == 1, "serial");
  // An hour back, against clock skew between the test and OpenSSL's "now".
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 7L * 24 * 3600);
  check(X509_set_pubkey(x, key) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(x);
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(spec.common_name), -1, -1,
                                   0) == 1,
        "subject");
  X509* signer = issuer != nullptr ? issuer : x;
  check(X509_set_issuer_name(x, X509_get_subject_name(signer)) == 1, "issuer");
  add_extension(x, signer, NID_subject_key_identifier, "hash");
  if (spec.ca) {
    add_extension(x, signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(x, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(x, signer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(x, signer, NID_key_usage, "critical,digitalSignature");
    add_extension(x, signer, NID_authority_key_identifier, "keyid:always");
  }
  if (spec.extended_usage) add_extension(x, signer, NID_ext_key_usage, spec.extended_usage);
  if (spec.alt_names) add_extension(x, signer, NID_subject_alt_name, spec.alt_names);
  check(X509_sign(x, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

void write_cert(const std::string& path, X509* cert) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "w"));
  check(bio != nullptr, "BIO_new_file");
  check(PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
}

void write_key(const std::string& path, EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "w"));
  check(bio != nullptr, "BIO_new_file");
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
}

}  // namespace

TestCertificates::TestCertificates() {
  std::random_device rd;
  dir_ = std::filesystem::temp_directory_path() /
         ("camleak-tls-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(dir_);

  const Key ca_key = make_key();
  const Cert ca = make_cert({.common_name = "camleak test CA", .serial = 1, .ca = true},
                            ca_key.get(), nullptr, nullptr);
  write_cert(ca_cert(), ca.get());

  const Key other_key = make_key();
  const Cert other = make_cert({.common_name = "camleak other CA", .serial = 1, .ca = true},
                               other_key.get(), nullptr, nullptr);
  write_cert(other_ca_cert(), other.get());

  const Key server_key_pair = make_key();
  const Cert server = make_cert({.common_name = "camleak test server",
                                 .serial = 2,
                                 .extended_usage = "serverAuth",
                                 .alt_names = "IP:127.0.0.1,IP:::1,DNS:localhost"},
                                server_key_pair.get(), ca.get(), ca_key.get());
  write_cert(server_cert(), server.get());
  write_key(server_key(), server_key_pair.get());

  const Key client_key_pair = make_key();
  const Cert client =
      make_cert({.common_name = "camleak test client", .serial = 3, .extended_usage = "clientAuth"},
                client_key_pair.get(), ca.get(), ca_key.get());
  write_cert(client_cert(), client.get());
  write_key(client_key(), client_key_pair.get());
}

TestCertificates::~TestCertificates() {
  std::error_code ignored;  // a test's leftovers in /tmp are not worth failing it for
  std::filesystem::remove_all(dir_, ignored);
}

tls::TlsClientSettings TestCertificates::client_settings(bool with_client_cert) const {
  tls::TlsClientSettings settings{.ca_file = ca_cert()};
  if (with_client_cert) {
    settings.cert_file = client_cert();
    settings.key_file = client_key();
  }
  return settings;
}

tls::TlsServerSettings TestCertificates::server_settings(bool require_client_cert) const {
  tls::TlsServerSettings settings{.cert_file = server_cert(), .key_file = server_key()};
  if (require_client_cert) settings.client_ca_file = ca_cert();
  return settings;
}

}  // namespace camleak::testing
