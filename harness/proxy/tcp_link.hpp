#pragma once
// A TCP link: a listening socket whose accepted connections are proxied to the upstream.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "harness/proxy/link.hpp"
#include "harness/proxy/tcp_connection.hpp"

namespace camleak::proxy {

class TcpLink final : public Link {
 public:
  TcpLink(std::shared_ptr<ProxyShared> proxy, LinkConfig config,
          std::vector<impair::StageSpec> stages);

  void start() override;
  void stop() override;
  bool running() const override { return acceptor_.is_open(); }
  uint16_t bound_port() const override { return port_; }

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;  // after accept errors such as EMFILE
  UpstreamTarget upstream_;
  uint16_t port_ = 0;
};

}  // namespace camleak::proxy
