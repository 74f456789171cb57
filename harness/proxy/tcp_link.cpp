#include "harness/proxy/tcp_link.hpp"

#include "harness/proxy/endpoint.hpp"
#include "harness/proxy/proxy_error.hpp"
#include "harness/proxy/resolve.hpp"

namespace camleak::proxy {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

TcpLink::TcpLink(std::shared_ptr<ProxyShared> proxy, LinkConfig config,
                 std::vector<impair::StageSpec> stages)
    : Link(std::move(proxy), std::move(config), std::move(stages)),
      acceptor_(proxy_->io),
      retry_timer_(proxy_->io) {}

void TcpLink::start() {
  if (running()) return;
  const HostPort upstream = parse_host_port(config_.upstream, "upstream");
  upstream_ = UpstreamTarget{.endpoint = std::nullopt,
                             .host = upstream.host.empty() ? "127.0.0.1" : upstream.host,
                             .port = std::to_string(upstream.port)};
  error_code ec;
  const auto address = asio::ip::make_address(upstream_.host, ec);
  if (!ec) upstream_.endpoint = tcp::endpoint(address, upstream.port);

  const tcp::endpoint listen = resolve_listen<tcp>(proxy_->io, config_.listen, config_.name);
  const auto fail = [&](const error_code& e) {
    error_code ignored;
    acceptor_.close(ignored);
    throw ProxyError(
        ProxyError::Kind::listen_failed,
        "link " + config_.name + ": cannot listen on " + config_.listen + ": " + e.message());
  };
  acceptor_.open(listen.protocol(), ec);
  if (ec) fail(ec);
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  acceptor_.bind(listen, ec);
  if (ec) fail(ec);
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail(ec);
  const auto bound = acceptor_.local_endpoint(ec);
  if (ec) fail(ec);
  port_ = bound.port();
  // As Toxiproxy does: the link now names the address it really listens on, so re-enabling
  // it later binds the same port.
  config_.listen = format_host_port(bound.address(), port_);
  accept();
}

void TcpLink::stop() {
  error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
  port_ = 0;
  close_all_sessions();
}

void TcpLink::accept() {
  auto self = std::static_pointer_cast<TcpLink>(shared_from_this());
  acceptor_.async_accept(proxy_->io, [self](const error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors or similar: try again shortly rather than spin.
      self->proxy_->event(self->config_.name, 0, "", "accept-failed");
      self->retry_timer_.expires_after(std::chrono::milliseconds(50));
      self->retry_timer_.async_wait([self](const error_code& e) {
        if (!e && self->acceptor_.is_open()) self->accept();
      });
      return;
    }
    auto connection =
        std::make_shared<TcpConnection>(self, std::move(socket), self->next_session_index());
    self->adopt(connection);
    connection->start(self->upstream_);
    self->accept();
  });
}

}  // namespace camleak::proxy
