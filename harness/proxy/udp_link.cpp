#include "harness/proxy/udp_link.hpp"

#include <algorithm>

#include "harness/proxy/endpoint.hpp"
#include "harness/proxy/proxy_error.hpp"
#include "harness/proxy/resolve.hpp"

namespace camleak::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using boost::system::error_code;
using impair::Direction;
using impair::Packet;

constexpr int kReadBudget = 64;  // datagrams per readiness event

bool would_block(const error_code& ec) {
  return ec == asio::error::would_block || ec == asio::error::try_again;
}

}  // namespace

// ---- flow ----

UdpFlow::UdpFlow(std::shared_ptr<UdpLink> link, udp::endpoint client, uint64_t index)
    : link_(std::move(link)), client_(client), index_(index), upstream_(link_->proxy().io) {
  const Micros now = link_->proxy().clock.now();
  last_active_ = now;
  size_t up_stages = 0, down_stages = 0;
  auto up_chain = link_->make_chain(index_, Direction::upstream, now, up_stages);
  auto down_chain = link_->make_chain(index_, Direction::downstream, now, down_stages);
  up_ = std::make_unique<Pipe>(Direction::upstream, std::move(up_chain), up_stages);
  down_ = std::make_unique<Pipe>(Direction::downstream, std::move(down_chain), down_stages);
}

bool UdpFlow::start(const udp::endpoint& upstream) {
  upstream_endpoint_ = upstream;
  error_code ec;
  upstream_.open(upstream.protocol(), ec);
  if (!ec) upstream_.connect(upstream, ec);
  if (!ec) upstream_.non_blocking(true, ec);
  if (ec) {
    ++link_->counters().upstream_failures;
    link_->proxy().event(link_->config().name, index_, "", "upstream-failed");
    return false;
  }
  receive_from_upstream();
  return true;
}

DirectionStats& UdpFlow::stats(const Pipe& p) {
  return p.direction == Direction::upstream ? link_->counters().upstream
                                            : link_->counters().downstream;
}

void UdpFlow::from_client(const uint8_t* data, size_t size, Micros now) {
  on_datagram(*up_, data, size, now);
}

void UdpFlow::receive_from_upstream() {
  upstream_.async_wait(udp::socket::wait_read, [self = shared_from_this()](const error_code& ec) {
    if (self->finished_ || ec == asio::error::operation_aborted) return;
    self->link_->proxy().wakeups.run_due();
    auto& buffer = self->link_->proxy().scratch;
    const Micros now = self->link_->proxy().clock.now();
    for (int i = 0; i < kReadBudget && !self->finished_; ++i) {
      error_code e;
      const size_t n = self->upstream_.receive(asio::buffer(buffer), 0, e);
      if (would_block(e)) break;
      // ICMP port unreachable shows up as connection_refused: the
      // upstream is down; the flow stays, as a real path would.
      if (e) continue;
      self->on_datagram(*self->down_, buffer.data(), n, now);
    }
    if (!self->finished_) self->receive_from_upstream();
  });
}

void UdpFlow::on_datagram(Pipe& p, const uint8_t* data, size_t size, Micros now) {
  last_active_ = now;
  auto& s = stats(p);
  s.bytes_in += size;
  if (p.active_stages == 0 && p.chain.empty()) {
    send(p, data, size, now, now);
    return;
  }
  if (p.chain.held_bytes() + size > link_->proxy().options.direction_buffer_limit) {
    ++s.overflow_drops;
    return;
  }
  p.chain.push(Packet{.kind = Packet::Kind::data,
                      .bytes = std::vector<uint8_t>(data, data + size),
                      .entered_at = now},
               now);
  pump(p);
}

void UdpFlow::pump(Pipe& p) {
  if (finished_) return;
  const Micros now = link_->proxy().clock.now();
  while (auto packet = p.chain.pop(now)) {
    if (packet->kind != Packet::Kind::data) {
      // A stage ended the flow: forget it; the next datagram from the client starts anew.
      link_->proxy().event(link_->config().name, index_, "", "flow-ended");
      finish();
      return;
    }
    send(p, packet->bytes.data(), packet->bytes.size(), packet->entered_at, now);
    if (finished_) return;
  }
  arm_timer(p, now);
}

void UdpFlow::arm_timer(Pipe& p, Micros now) {
  if (const auto wake = p.next_wakeup(now)) {
    link_->proxy().wakeups.schedule(wake->at, weak_from_this(), &p == up_.get() ? 0 : 1,
                                    wake->ticket);
  }
}

bool UdpFlow::wants(int slot, uint64_t ticket) const {
  return !finished_ && (slot == 0 ? up_ : down_)->awaits(ticket);
}

void UdpFlow::wake(int slot, uint64_t ticket) {
  Pipe& p = slot == 0 ? *up_ : *down_;
  if (finished_ || !p.take(ticket)) return;  // superseded by an earlier wake-up
  pump(p);
}

void UdpFlow::send(Pipe& p, const uint8_t* data, size_t size, Micros entered, Micros now) {
  error_code ec;
  if (p.direction == Direction::upstream) {
    upstream_.send(asio::buffer(data, size), 0, ec);
  } else {
    link_->socket().send_to(asio::buffer(data, size), client_, 0, ec);
  }
  auto& s = stats(p);
  if (ec) {
    ++s.overflow_drops;  // the kernel would not take it (full buffer, unreachable peer)
    return;
  }
  s.bytes_out += size;
  ++s.packets_out;
  s.delay.record(now - entered);
  if (auto* tap = link_->tap()) {
    tap->record(
        now, synth_udp_frame(FlowAddresses{client_.address(), client_.port(),
                                           upstream_endpoint_.address(), upstream_endpoint_.port()},
                             p.direction == Direction::upstream, {data, size}));
  }
}

void UdpFlow::finish() {
  if (finished_) return;
  finished_ = true;
  error_code ignored;
  upstream_.close(ignored);
  link_->forget(client_);
  link_->retire(*this);
}

void UdpFlow::add_stage(const impair::StageSpec& spec, Micros now) {
  for (Pipe* p : {up_.get(), down_.get()}) {
    if (p->add(spec, now)) pump(*p);
  }
}

void UdpFlow::remove_stage(std::string_view name, Micros now) {
  for (Pipe* p : {up_.get(), down_.get()}) {
    if (p->remove(name, now)) pump(*p);
  }
}

void UdpFlow::reconfigure_stage(const impair::StageSpec& spec, Micros) {
  for (Pipe* p : {up_.get(), down_.get()}) {
    if (p->reconfigure(spec)) pump(*p);
  }
}

void UdpFlow::collect(std::map<std::string, StageStats>& into) const {
  for (const Pipe* p : {up_.get(), down_.get()}) p->collect(into);
}

// ---- link ----

UdpLink::UdpLink(std::shared_ptr<ProxyShared> proxy, LinkConfig config,
                 std::vector<impair::StageSpec> stages)
    : Link(std::move(proxy), std::move(config), std::move(stages)),
      socket_(proxy_->io),
      sweep_timer_(proxy_->io) {}

void UdpLink::start() {
  if (running()) return;
  upstream_ = resolve_listen<udp>(proxy_->io, config_.upstream, config_.name);
  const udp::endpoint listen = resolve_listen<udp>(proxy_->io, config_.listen, config_.name);
  error_code ec;
  const auto fail = [&](const error_code& e) {
    error_code ignored;
    socket_.close(ignored);
    throw ProxyError(
        ProxyError::Kind::listen_failed,
        "link " + config_.name + ": cannot listen on " + config_.listen + ": " + e.message());
  };
  socket_.open(listen.protocol(), ec);
  if (ec) fail(ec);
  socket_.bind(listen, ec);
  if (ec) fail(ec);
  socket_.non_blocking(true, ec);
  const auto bound = socket_.local_endpoint(ec);
  if (ec) fail(ec);
  port_ = bound.port();
  config_.listen = format_host_port(bound.address(), port_);
  receive();
  sweep();
}

void UdpLink::stop() {
  error_code ignored;
  socket_.close(ignored);
  sweep_timer_.cancel();
  port_ = 0;
  close_all_sessions();
  flows_.clear();
}

void UdpLink::receive() {
  auto self = std::static_pointer_cast<UdpLink>(shared_from_this());
  socket_.async_wait(udp::socket::wait_read,
                     [self](const error_code& ec) { self->on_readable(ec); });
}

void UdpLink::on_readable(const error_code& wait_ec) {
  if (wait_ec == asio::error::operation_aborted || !socket_.is_open()) return;
  proxy_->wakeups.run_due();
  auto& buffer = proxy_->scratch;
  const Micros now = proxy_->clock.now();
  for (int i = 0; i < kReadBudget; ++i) {
    udp::endpoint from;
    error_code ec;
    const size_t n = socket_.receive_from(asio::buffer(buffer), from, 0, ec);
    if (would_block(ec)) break;
    if (ec) continue;  // e.g. ICMP errors reported on the socket: nothing to forward
    if (auto flow = flow_for(from)) flow->from_client(buffer.data(), n, now);
  }
  receive();
}

std::shared_ptr<UdpFlow> UdpLink::flow_for(const udp::endpoint& client) {
  if (auto it = flows_.find(client); it != flows_.end()) {
    if (auto flow = it->second.lock()) return flow;
    flows_.erase(it);
  }
  if (flows_.size() >= proxy_->options.udp_max_flows) {
    // Evict the flow that has been quiet longest, so a spray of sources cannot grow memory.
    auto oldest = std::min_element(flows_.begin(), flows_.end(), [](const auto& a, const auto& b) {
      const auto fa = a.second.lock(), fb = b.second.lock();
      return (fa ? fa->last_active() : Micros::min()) < (fb ? fb->last_active() : Micros::min());
    });
    if (auto flow = oldest->second.lock()) {
      flow->close();
    } else {
      flows_.erase(oldest);
    }
  }
  auto self = std::static_pointer_cast<UdpLink>(shared_from_this());
  auto flow = std::make_shared<UdpFlow>(self, client, next_session_index());
  adopt(flow);
  flows_[client] = flow;
  if (!flow->start(upstream_)) {
    flow->close();
    return nullptr;
  }
  return flow;
}

void UdpLink::sweep() {
  const Micros idle = proxy_->options.udp_flow_idle;
  sweep_timer_.expires_after(std::max<Micros>(idle / 4, std::chrono::milliseconds(100)));
  auto self = std::static_pointer_cast<UdpLink>(shared_from_this());
  sweep_timer_.async_wait([self, idle](const error_code& ec) {
    if (ec || !self->socket_.is_open()) return;
    const Micros now = self->proxy_->clock.now();
    std::vector<std::shared_ptr<UdpFlow>> quiet;
    for (const auto& [endpoint, weak] : self->flows_) {
      auto flow = weak.lock();
      if (flow && now - flow->last_active() >= idle) quiet.push_back(flow);
    }
    for (const auto& flow : quiet) flow->close();
    self->sweep();
  });
}

}  // namespace camleak::proxy
