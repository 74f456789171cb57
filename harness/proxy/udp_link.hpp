#pragma once
// A UDP link: one listening socket; each client endpoint is a flow with its own socket toward
// the upstream (so replies can be told apart) and a chain per direction, one Packet per
// datagram. Datagrams past the direction's buffer limit, or that the kernel will not take
// right now, are dropped and counted: UDP has no backpressure to apply.
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <optional>

#include "harness/proxy/chain_pipe.hpp"
#include "harness/proxy/link.hpp"

namespace camleak::proxy {

class UdpLink;

class UdpFlow final : public Session,
                      public Wakeable,
                      public std::enable_shared_from_this<UdpFlow> {
 public:
  UdpFlow(std::shared_ptr<UdpLink> link, boost::asio::ip::udp::endpoint client, uint64_t index);

  // Opens the upstream socket; false (counted) when that fails.
  bool start(const boost::asio::ip::udp::endpoint& upstream);
  // A datagram from the client, in the proxy's shared buffer.
  void from_client(const uint8_t* data, size_t size, Micros now);
  Micros last_active() const { return last_active_; }
  const boost::asio::ip::udp::endpoint& client() const { return client_; }

  uint64_t index() const override { return index_; }
  void add_stage(const impair::StageSpec& spec, Micros now) override;
  void remove_stage(std::string_view name, Micros now) override;
  void reconfigure_stage(const impair::StageSpec& spec, Micros now) override;
  void reset() override { finish(); }
  void close() override { finish(); }
  void collect(std::map<std::string, StageStats>& into) const override;
  void wake(int slot, uint64_t ticket) override;
  bool wants(int slot, uint64_t ticket) const override;

 private:
  using Pipe = ChainPipe;

  void receive_from_upstream();
  void on_datagram(Pipe& p, const uint8_t* data, size_t size, Micros now);
  void pump(Pipe& p);
  void arm_timer(Pipe& p, Micros now);
  // Sends one datagram toward the pipe's receiver.
  void send(Pipe& p, const uint8_t* data, size_t size, Micros entered, Micros now);
  DirectionStats& stats(const Pipe& p);
  void finish();

  std::shared_ptr<UdpLink> link_;
  boost::asio::ip::udp::endpoint client_;
  boost::asio::ip::udp::endpoint upstream_endpoint_;
  uint64_t index_;
  boost::asio::ip::udp::socket upstream_;
  std::unique_ptr<Pipe> up_;
  std::unique_ptr<Pipe> down_;
  Micros last_active_{};
  bool finished_ = false;
};

class UdpLink final : public Link {
 public:
  UdpLink(std::shared_ptr<ProxyShared> proxy, LinkConfig config,
          std::vector<impair::StageSpec> stages);

  void start() override;
  void stop() override;
  bool running() const override { return socket_.is_open(); }
  uint16_t bound_port() const override { return port_; }

  // For flows.
  boost::asio::ip::udp::socket& socket() { return socket_; }
  void forget(const boost::asio::ip::udp::endpoint& client) { flows_.erase(client); }

 private:
  void receive();
  void on_readable(const boost::system::error_code& ec);
  std::shared_ptr<UdpFlow> flow_for(const boost::asio::ip::udp::endpoint& client);
  void sweep();

  boost::asio::ip::udp::socket socket_;
  boost::asio::steady_timer sweep_timer_;
  boost::asio::ip::udp::endpoint upstream_;
  std::map<boost::asio::ip::udp::endpoint, std::weak_ptr<UdpFlow>> flows_;
  uint16_t port_ = 0;
};

}  // namespace camleak::proxy
