#pragma once
// Resolving a link's listen address once, when it starts.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/basic_resolver.hpp>
#include <string>

#include "harness/proxy/endpoint.hpp"
#include "harness/proxy/proxy_error.hpp"

namespace camleak::proxy {

// "host:port" -> endpoint. An empty host means every interface (Go's ":port"), as in
// Toxiproxy. Throws ProxyError(listen_failed) when the host does not resolve.
template <typename Protocol>
typename Protocol::endpoint resolve_listen(boost::asio::io_context& io, const std::string& listen,
                                           const std::string& link) {
  const HostPort hp = parse_host_port(listen, "listen");
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(hp.host.empty() ? "0.0.0.0" : hp.host, ec);
  if (!ec) return typename Protocol::endpoint(address, hp.port);
  typename Protocol::resolver resolver(io);
  const auto results = resolver.resolve(hp.host, std::to_string(hp.port), ec);
  if (ec || results.empty()) {
    throw ProxyError(ProxyError::Kind::listen_failed, "link " + link +
                                                          ": cannot resolve listen address " +
                                                          listen + (ec ? ": " + ec.message() : ""));
  }
  return results.begin()->endpoint();
}

}  // namespace camleak::proxy
