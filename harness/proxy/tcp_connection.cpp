#include "harness/proxy/tcp_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include "harness/core/rng.hpp"

namespace camleak::proxy {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using impair::Direction;
using impair::Packet;

// Reads per readiness event before yielding to other connections.
constexpr int kReadBudget = 16;
// Packets per gathered write.
constexpr size_t kMaxGather = 64;
bool would_block(const error_code& ec) {
  return ec == asio::error::would_block || ec == asio::error::try_again;
}

}  // namespace

TcpConnection::TcpConnection(std::shared_ptr<Link> link, tcp::socket client, uint64_t index)
    : link_(std::move(link)),
      index_(index),
      client_(std::move(client)),
      upstream_(link_->proxy().io) {
  const Micros now = link_->proxy().clock.now();
  size_t up_stages = 0, down_stages = 0;
  auto up_chain = link_->make_chain(index_, Direction::upstream, now, up_stages);
  auto down_chain = link_->make_chain(index_, Direction::downstream, now, down_stages);
  up_ = std::make_unique<Pipe>(Direction::upstream, client_, upstream_, std::move(up_chain),
                               up_stages);
  down_ = std::make_unique<Pipe>(Direction::downstream, upstream_, client_, std::move(down_chain),
                                 down_stages);
}

TcpConnection::~TcpConnection() = default;

void TcpConnection::start(const UpstreamTarget& upstream) {
  connect(upstream);
}

void TcpConnection::connect(const UpstreamTarget& upstream) {
  auto self = shared_from_this();
  if (upstream.endpoint) {
    upstream_.async_connect(*upstream.endpoint,
                            [self](const error_code& ec) { self->on_connected(ec); });
    return;
  }
  resolver_ = std::make_unique<tcp::resolver>(link_->proxy().io);
  resolver_->async_resolve(
      upstream.host, upstream.port,
      [self](const error_code& ec, const tcp::resolver::results_type& results) {
        if (self->finished_) return;
        if (ec) return self->on_connected(ec);
        asio::async_connect(
            self->upstream_, results,
            [self](const error_code& e, const tcp::endpoint&) { self->on_connected(e); });
      });
}

void TcpConnection::on_connected(const error_code& ec) {
  if (finished_) return;
  auto& proxy = link_->proxy();
  if (ec) {
    ++link_->counters().upstream_failures;
    proxy.event(link_->config().name, index_, "", "upstream-failed");
    // Toxiproxy's behaviour: the client sees its connection closed.
    error_code ignored;
    client_.shutdown(tcp::socket::shutdown_both, ignored);
    finish();
    return;
  }
  connected_ = true;
  error_code ignored;
  for (auto* s : {&client_, &upstream_}) {
    s->non_blocking(true, ignored);
    s->set_option(tcp::no_delay(true), ignored);  // the proxy must not add Nagle delays
  }
  if (auto* tap = link_->tap()) {
    error_code e1, e2;
    const auto client = client_.remote_endpoint(e1);
    const auto server = upstream_.remote_endpoint(e2);
    tap_.emplace(
        *tap, FlowAddresses{client.address(), client.port(), server.address(), server.port()},
        Rng::derive(proxy.options.seed, link_->config().name + "/tap/" + std::to_string(index_)));
    tap_->open(proxy.clock.now());
  }
  // A stage may act at once (down refuses a new connection immediately).
  for (Pipe* p : {up_.get(), down_.get()}) {
    pump(*p);
    start_read(*p);
  }
}

bool TcpConnection::over_limit(const Pipe& p) const {
  return p.chain.held_bytes() + p.out_bytes + p.spill.size() >
         link_->proxy().options.direction_buffer_limit;
}

DirectionStats& TcpConnection::stats(const Pipe& p) {
  return p.direction == Direction::upstream ? link_->counters().upstream
                                            : link_->counters().downstream;
}

void TcpConnection::start_read(Pipe& p) {
  if (p.reading || p.eof || finished_ || !connected_) return;
  // A fast-path spill in flight: wait for it rather than queue behind it.
  if (over_limit(p) || !p.spill.empty()) return;
  p.reading = true;
  p.src.async_wait(tcp::socket::wait_read, [self = shared_from_this(), &p](const error_code& ec) {
    self->on_readable(p, ec);
  });
}

void TcpConnection::on_readable(Pipe& p, const error_code& wait_ec) {
  p.reading = false;
  if (finished_ || wait_ec == asio::error::operation_aborted) return;
  if (wait_ec) return on_end_of_input(p, Packet::Kind::reset, link_->proxy().clock.now());
  auto& wakeups = link_->proxy().wakeups;
  auto& buffer = link_->proxy().scratch;
  for (int i = 0; i < kReadBudget; ++i) {
    // Due wake-ups first, and again between reads (one read and its write can take tens of
    // us). A wake-up may act on this very pipe: end it, pause it, or queue the next wait.
    wakeups.run_due();
    if (finished_ || p.eof || p.reading || over_limit(p) || !p.spill.empty()) return;
    const Micros now = link_->proxy().clock.now();
    error_code ec;
    const size_t n = p.src.read_some(asio::buffer(buffer), ec);
    if (would_block(ec)) break;
    if (ec == asio::error::eof) return on_end_of_input(p, Packet::Kind::close, now);
    if (ec) return on_end_of_input(p, Packet::Kind::reset, now);
    stats(p).bytes_in += n;
    if (fast(p)) {
      if (!forward_fast(p, buffer.data(), n, now)) return;  // resumes when the spill is out
    } else {
      p.chain.push(Packet{.kind = Packet::Kind::data,
                          .bytes = std::vector<uint8_t>(buffer.data(), buffer.data() + n),
                          .entered_at = now},
                   now);
      pump(p);
      if (finished_ || over_limit(p)) return;  // on_written resumes reading
    }
    // A short read emptied the socket. Waiting again costs no read that would only say
    // "would block": the reactor re-checks readiness when the wait is queued.
    if (n < buffer.size()) break;
  }
  start_read(p);
}

bool TcpConnection::forward_fast(Pipe& p, const uint8_t* data, size_t size, Micros now) {
  error_code ec;
  size_t n = p.dst.write_some(asio::buffer(data, size), ec);
  if (would_block(ec)) {
    n = 0;
    ec = {};
  }
  if (ec) {
    abort_both("write-failed");
    return false;
  }
  if (n > 0) written(p, data, n, now, now);
  if (n == size) return true;
  p.spill.assign(data + n, data + size);
  p.spill_entered = now;
  p.writing = true;
  asio::async_write(p.dst, asio::buffer(p.spill),
                    [self = shared_from_this(), &p](const error_code& e, size_t) {
                      self->on_spill_written(p, e);
                    });
  return false;
}

void TcpConnection::on_spill_written(Pipe& p, const error_code& ec) {
  p.writing = false;
  if (finished_ || ec == asio::error::operation_aborted) return;
  if (ec) return abort_both("write-failed");
  written(p, p.spill.data(), p.spill.size(), p.spill_entered, link_->proxy().clock.now());
  // Release the copy: an idle connection should hold no buffer.
  std::vector<uint8_t>().swap(p.spill);
  // Only now that the pipe is settled: a due wake-up may write on this very pipe.
  link_->proxy().wakeups.run_due();
  if (finished_) return;
  start_write(p);  // a stage may have been added meanwhile
  start_read(p);
}

void TcpConnection::on_end_of_input(Pipe& p, Packet::Kind kind, Micros now) {
  p.eof = true;
  if (kind == Packet::Kind::reset) {
    link_->proxy().event(link_->config().name, index_, impair::to_string(p.direction),
                         "peer-reset");
  }
  if (fast(p) && p.spill.empty()) {
    if (kind == Packet::Kind::close) {
      shutdown_send(p);
    } else {
      abort_both("peer-reset");
    }
    return;
  }
  // Behind the data still held: the signal leaves the chain in order.
  p.chain.push(Packet{.kind = kind, .bytes = {}, .entered_at = now}, now);
  pump(p);
  maybe_finish();  // the other direction may have been shut already
}

void TcpConnection::pump(Pipe& p) {
  if (finished_ || !connected_) return;  // on_connected pumps what arrived meanwhile
  const Micros now = link_->proxy().clock.now();
  while (auto packet = p.chain.pop(now)) {
    p.out_bytes += packet->bytes.size();
    p.out.push_back(std::move(*packet));
  }
  arm_timer(p, now);
  start_write(p);
}

void TcpConnection::arm_timer(Pipe& p, Micros now) {
  if (const auto wake = p.next_wakeup(now)) {
    link_->proxy().wakeups.schedule(wake->at, weak_from_this(), slot(p), wake->ticket);
  }
}

bool TcpConnection::wants(int which, uint64_t ticket) const {
  return !finished_ && (which == 0 ? up_ : down_)->awaits(ticket);
}

void TcpConnection::wake(int which, uint64_t ticket) {
  Pipe& p = which == 0 ? up() : down();
  if (finished_ || !p.take(ticket)) return;  // superseded by an earlier wake-up
  pump(p);
  start_read(p);  // a stage may have dropped what it held
}

void TcpConnection::start_write(Pipe& p) {
  if (p.writing || finished_) return;
  while (!p.out.empty() && (p.out.front().kind != Packet::Kind::data || p.shut)) {
    const auto kind = p.out.front().kind;
    p.out_bytes -= std::min(p.out_bytes, p.out.front().bytes.size());
    p.out.pop_front();
    if (kind == Packet::Kind::reset) return abort_both("reset");
    if (kind == Packet::Kind::close && !p.shut) {
      shutdown_send(p);
      if (finished_) return;
    }
  }
  if (p.out.empty()) return;
  p.gather.clear();
  for (const auto& packet : p.out) {
    if (packet.kind != Packet::Kind::data || p.gather.size() == kMaxGather) break;
    p.gather.emplace_back(asio::buffer(packet.bytes));
  }
  p.gathered = p.gather.size();
  p.writing = true;
  asio::async_write(p.dst, p.gather, [self = shared_from_this(), &p](const error_code& ec, size_t) {
    self->on_written(p, ec);
  });
}

void TcpConnection::on_written(Pipe& p, const error_code& ec) {
  p.writing = false;
  if (finished_ || ec == asio::error::operation_aborted) return;
  if (ec) return abort_both("write-failed");
  const Micros now = link_->proxy().clock.now();
  for (size_t i = 0; i < p.gathered && !p.out.empty(); ++i) {
    auto& packet = p.out.front();
    written(p, packet.bytes.data(), packet.bytes.size(), packet.entered_at, now);
    p.out_bytes -= std::min(p.out_bytes, packet.bytes.size());
    p.out.pop_front();
  }
  p.gathered = 0;
  // Only now that the written packets are off the queue: a due wake-up may write on this very
  // pipe, and must not send them again.
  link_->proxy().wakeups.run_due();
  if (finished_) return;
  start_write(p);
  start_read(p);
}

void TcpConnection::written(Pipe& p, const uint8_t* data, size_t size, Micros entered, Micros now) {
  auto& s = stats(p);
  s.bytes_out += size;
  ++s.packets_out;
  s.delay.record(now - entered);
  if (tap_) tap_->data(p.direction == Direction::upstream, {data, size}, now);
}

void TcpConnection::shutdown_send(Pipe& p) {
  p.shut = true;
  error_code ignored;
  p.dst.shutdown(tcp::socket::shutdown_send, ignored);
  if (tap_) tap_->fin(p.direction == Direction::upstream, link_->proxy().clock.now());
  maybe_finish();
}

void TcpConnection::maybe_finish() {
  if (finished_) return;
  if (up().eof && up().shut && down().eof && down().shut) finish();
}

void TcpConnection::abort_both(std::string_view why) {
  if (finished_) return;
  ++link_->counters().resets;
  link_->proxy().event(link_->config().name, index_, "", why);
  error_code ignored;
  for (auto* s : {&client_, &upstream_}) {
    if (!s->is_open()) continue;
    s->set_option(asio::socket_base::linger(true, 0), ignored);  // close sends RST
    s->close(ignored);
  }
  if (tap_) {
    const Micros now = link_->proxy().clock.now();
    tap_->rst(true, now);
    tap_->rst(false, now);
  }
  finish();
}

void TcpConnection::reset() {
  abort_both("reset");
}

void TcpConnection::close() {
  if (finished_) return;
  error_code ignored;
  for (auto* s : {&client_, &upstream_}) {
    if (s->is_open()) s->shutdown(tcp::socket::shutdown_both, ignored);
  }
  if (tap_) {
    const Micros now = link_->proxy().clock.now();
    if (!up().shut) tap_->fin(true, now);
    if (!down().shut) tap_->fin(false, now);
  }
  finish();
}

void TcpConnection::finish() {
  if (finished_) return;
  finished_ = true;
  error_code ignored;
  if (resolver_) resolver_->cancel();
  client_.close(ignored);
  upstream_.close(ignored);
  if (auto* tap = link_->tap()) tap->flush();
  link_->retire(*this);
}

void TcpConnection::add_stage(const impair::StageSpec& spec, Micros now) {
  for (Pipe* p : {up_.get(), down_.get()}) {
    if (p->add(spec, now)) pump(*p);  // the stage may act at once
  }
}

void TcpConnection::remove_stage(std::string_view name, Micros now) {
  for (Pipe* p : {up_.get(), down_.get()}) {
    if (p->remove(name, now)) {
      pump(*p);  // what the stage held moves on
      start_read(*p);
    }
  }
}

void TcpConnection::reconfigure_stage(const impair::StageSpec& spec, Micros) {
  for (Pipe* p : {up_.get(), down_.get()}) {
    if (p->reconfigure(spec)) {
      pump(*p);  // timing may have changed
      start_read(*p);
    }
  }
}

void TcpConnection::collect(std::map<std::string, StageStats>& into) const {
  for (const Pipe* p : {up_.get(), down_.get()}) p->collect(into);
}

}  // namespace camleak::proxy
