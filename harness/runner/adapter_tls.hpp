#pragma once
// The TLS client context of a run's adapter (its `tls` settings), shared by the admin calls and
// every device: one per run, made only when some URL of the adapter is rtsps:// or https://.
#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "harness/runner/sut_driver.hpp"
#include "harness/scenario/adapter.hpp"

namespace camleak::runner {

// Null when neither the adapter nor the SUT's own URLs use TLS. Throws InputError naming a CA,
// certificate or key file that cannot be used.
std::shared_ptr<boost::asio::ssl::context> adapter_client_tls(const scenario::Adapter& adapter,
                                                              const SutEndpoints& endpoints);

}  // namespace camleak::runner
