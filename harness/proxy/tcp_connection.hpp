#pragma once
// One proxied TCP connection: client socket, upstream socket and a pipe per direction, each
// pipe a stage chain driven by the socket events and a timer at the chain's next wake-up.
//
// A direction whose chain has no stage but the pass-through one takes the fast path: read into
// the proxy's shared buffer and write straight out, copying only what the receiver cannot take
// yet. Otherwise each read becomes a Packet pushed through the chain. Reading from a side
// pauses while its direction holds more than the buffer limit.
#include <boost/asio/ip/tcp.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/impair/chain.hpp"
#include "harness/proxy/chain_pipe.hpp"
#include "harness/proxy/link.hpp"

namespace camleak::proxy {

struct UpstreamTarget {
  std::optional<boost::asio::ip::tcp::endpoint> endpoint;  // set when the host is an address
  std::string host;
  std::string port;
};

class TcpConnection final : public Session,
                            public Wakeable,
                            public std::enable_shared_from_this<TcpConnection> {
 public:
  TcpConnection(std::shared_ptr<Link> link, boost::asio::ip::tcp::socket client, uint64_t index);
  ~TcpConnection() override;

  void start(const UpstreamTarget& upstream);

  uint64_t index() const override { return index_; }
  void add_stage(const impair::StageSpec& spec, Micros now) override;
  void remove_stage(std::string_view name, Micros now) override;
  void reconfigure_stage(const impair::StageSpec& spec, Micros now) override;
  void reset() override;
  void close() override;
  void collect(std::map<std::string, StageStats>& into) const override;
  void wake(int slot, uint64_t ticket) override;
  bool wants(int slot, uint64_t ticket) const override;

 private:
  using tcp = boost::asio::ip::tcp;

  struct Pipe : ChainPipe {
    Pipe(impair::Direction d, tcp::socket& from, tcp::socket& to, impair::Chain c, size_t stages)
        : ChainPipe(d, std::move(c), stages), src(from), dst(to) {}
    tcp::socket& src;
    tcp::socket& dst;
    std::deque<impair::Packet> out;  // left the chain, waiting to be written
    size_t out_bytes = 0;
    std::vector<boost::asio::const_buffer> gather;
    size_t gathered = 0;         // packets in the write in flight
    std::vector<uint8_t> spill;  // fast path: what the receiver could not take yet
    Micros spill_entered{};
    bool reading = false;
    bool writing = false;
    bool eof = false;   // nothing more will be read from src
    bool shut = false;  // dst's sending side is shut down
  };

  void connect(const UpstreamTarget& upstream);
  void on_connected(const boost::system::error_code& ec);
  Pipe& up() { return *up_; }
  Pipe& down() { return *down_; }
  int slot(const Pipe& p) const { return &p == up_.get() ? 0 : 1; }

  bool fast(const Pipe& p) const {
    return p.active_stages == 0 && p.out.empty() && !p.writing && p.chain.empty();
  }
  bool over_limit(const Pipe& p) const;
  DirectionStats& stats(const Pipe& p);

  void start_read(Pipe& p);
  void on_readable(Pipe& p, const boost::system::error_code& ec);
  bool forward_fast(Pipe& p, const uint8_t* data, size_t size, Micros now);
  void on_spill_written(Pipe& p, const boost::system::error_code& ec);
  void on_end_of_input(Pipe& p, impair::Packet::Kind kind, Micros now);
  void pump(Pipe& p);
  void arm_timer(Pipe& p, Micros now);
  void start_write(Pipe& p);
  void on_written(Pipe& p, const boost::system::error_code& ec);
  void written(Pipe& p, const uint8_t* data, size_t size, Micros entered, Micros now);
  void shutdown_send(Pipe& p);
  void maybe_finish();
  void abort_both(std::string_view why);
  void finish();

  std::shared_ptr<Link> link_;
  uint64_t index_;
  tcp::socket client_;
  tcp::socket upstream_;
  std::unique_ptr<tcp::resolver> resolver_;
  std::unique_ptr<Pipe> up_;    // client -> upstream
  std::unique_ptr<Pipe> down_;  // upstream -> client
  std::optional<TcpTapFlow> tap_;
  bool connected_ = false;
  bool finished_ = false;
};

}  // namespace camleak::proxy
