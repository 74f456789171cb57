#include "harness/runner/adapter_tls.hpp"

#include "harness/tls/context.hpp"

namespace camleak::runner {

std::shared_ptr<boost::asio::ssl::context> adapter_client_tls(const scenario::Adapter& adapter,
                                                              const SutEndpoints& endpoints) {
  const bool sut_secure = endpoints.rtsp_secure || endpoints.http_secure || endpoints.admin.secure;
  if (!adapter.uses_tls() && !sut_secure) return nullptr;
  return tls::make_client_context(tls::TlsClientSettings{.ca_file = adapter.tls.ca_file,
                                                         .cert_file = adapter.tls.cert_file,
                                                         .key_file = adapter.tls.key_file,
                                                         .insecure = adapter.tls.insecure});
}

}  // namespace camleak::runner
