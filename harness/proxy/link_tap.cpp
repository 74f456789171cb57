#include "harness/proxy/link_tap.hpp"

#include <algorithm>

#include "harness/core/rng.hpp"

namespace camleak::proxy {

LinkTap::LinkTap(const TapConfig& config, size_t ring_bytes, Micros ring_age,
                 std::chrono::system_clock::time_point wall_at_zero)
    : ring_enabled_(config.ring),
      ring_limit_bytes_(ring_bytes),
      ring_age_(ring_age),
      wall_at_zero_(wall_at_zero) {
  if (!config.pcap_file.empty()) file_.emplace(config.pcap_file);
}

void LinkTap::record(Micros now, std::vector<uint8_t> frame) {
  // Handlers of one link read the clock at different points (a UDP link's fast path once per
  // batch, its stages when they release), so times can step back by microseconds: keep the
  // capture in time order, which pcap readers and frames_in() expect.
  now = std::max(now, last_time_);
  last_time_ = now;
  if (file_) file_->write(wall(now), frame);
  if (!ring_enabled_) return;
  ring_bytes_ += frame.size();
  ring_.push_back({now, std::move(frame)});
  while (!ring_.empty() &&
         (ring_bytes_ > ring_limit_bytes_ || ring_.front().time < now - ring_age_)) {
    ring_bytes_ -= ring_.front().frame.size();
    ring_.pop_front();
  }
}

size_t LinkTap::write_window(Micros from, Micros to, const std::string& path) const {
  PcapFile out(path);
  size_t written = 0;
  for (const auto& r : ring_) {
    if (r.time < from || r.time > to) continue;
    out.write(wall(r.time), r.frame);
    ++written;
  }
  out.flush();
  return written;
}

size_t LinkTap::frames_in(Micros from, Micros to) const {
  // The ring is in time order: frames are recorded as the proxy forwards them.
  const auto first = std::lower_bound(ring_.begin(), ring_.end(), from,
                                      [](const Record& r, Micros t) { return r.time < t; });
  const auto last = std::upper_bound(first, ring_.end(), to,
                                     [](Micros t, const Record& r) { return t < r.time; });
  return static_cast<size_t>(last - first);
}

void LinkTap::flush() {
  if (file_) file_->flush();
}

TcpTapFlow::TcpTapFlow(LinkTap& tap, FlowAddresses addresses, uint64_t seed)
    : tap_(tap), addresses_(std::move(addresses)) {
  Rng rng(seed);
  client_seq_ = static_cast<uint32_t>(rng.next_u64());
  server_seq_ = static_cast<uint32_t>(rng.next_u64());
}

void TcpTapFlow::emit(bool from_client, uint8_t flags, std::span<const uint8_t> payload,
                      Micros now) {
  uint32_t& seq = from_client ? client_seq_ : server_seq_;
  const uint32_t ack = from_client ? server_seq_ : client_seq_;
  const bool acks = (flags & tcp_flags::ack) != 0;
  tap_.record(now, synth_tcp_frame(addresses_, from_client, seq, acks ? ack : 0, flags, payload));
  seq += static_cast<uint32_t>(payload.size());
  if (flags & (tcp_flags::syn | tcp_flags::fin)) seq += 1;  // SYN and FIN take a number each
}

void TcpTapFlow::open(Micros now) {
  emit(true, tcp_flags::syn, {}, now);
  emit(false, tcp_flags::syn | tcp_flags::ack, {}, now);
  emit(true, tcp_flags::ack, {}, now);
}

void TcpTapFlow::data(bool from_client, std::span<const uint8_t> bytes, Micros now) {
  while (!bytes.empty()) {
    const size_t n = std::min(bytes.size(), kMaxSegmentPayload);
    emit(from_client, tcp_flags::psh | tcp_flags::ack, bytes.first(n), now);
    bytes = bytes.subspan(n);
  }
}

void TcpTapFlow::fin(bool from_client, Micros now) {
  emit(from_client, tcp_flags::fin | tcp_flags::ack, {}, now);
}

void TcpTapFlow::rst(bool from_client, Micros now) {
  emit(from_client, tcp_flags::rst | tcp_flags::ack, {}, now);
}

}  // namespace camleak::proxy
