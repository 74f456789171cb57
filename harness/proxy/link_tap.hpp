#pragma once
// What a link records of its forwarded traffic: synthesized frames written to a pcap file as
// they flow and/or kept in a bounded in-memory ring, from which the window around an incident
// (a violation found later by the oracle) is written out on demand.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/proxy/frame_synth.hpp"
#include "harness/proxy/link_config.hpp"
#include "harness/proxy/pcap_file.hpp"

namespace camleak::proxy {

class LinkTap {
 public:
  // `wall_at_zero` is the wall-clock time of the proxy clock's 0, for pcap timestamps.
  // The ring keeps at most `ring_bytes` of frames and nothing older than `ring_age`.
  LinkTap(const TapConfig& config, size_t ring_bytes, Micros ring_age,
          std::chrono::system_clock::time_point wall_at_zero);

  void record(Micros now, std::vector<uint8_t> frame);
  // Writes the ring's frames with time in [from, to] to a new pcap file at `path`.
  // Returns how many frames were written.
  size_t write_window(Micros from, Micros to, const std::string& path) const;
  void flush();
  size_t ring_frames() const { return ring_.size(); }
  size_t ring_bytes() const { return ring_bytes_; }
  // How many of the ring's frames have a time in [from, to].
  size_t frames_in(Micros from, Micros to) const;

 private:
  struct Record {
    Micros time;
    std::vector<uint8_t> frame;
  };
  std::chrono::system_clock::time_point wall(Micros t) const { return wall_at_zero_ + t; }

  std::optional<PcapFile> file_;
  bool ring_enabled_;
  size_t ring_limit_bytes_;
  Micros ring_age_;
  std::chrono::system_clock::time_point wall_at_zero_;
  std::deque<Record> ring_;
  size_t ring_bytes_ = 0;
  Micros last_time_{};  // of the last frame recorded: frames never go back in time
};

// The tap's view of one TCP connection: consistent sequence and acknowledgement numbers,
// starting with a SYN / SYN-ACK / ACK handshake, so dissectors reassemble the stream.
class TcpTapFlow {
 public:
  TcpTapFlow(LinkTap& tap, FlowAddresses addresses, uint64_t seed);

  void open(Micros now);
  void data(bool from_client, std::span<const uint8_t> bytes, Micros now);
  void fin(bool from_client, Micros now);
  void rst(bool from_client, Micros now);

 private:
  void emit(bool from_client, uint8_t flags, std::span<const uint8_t> payload, Micros now);

  LinkTap& tap_;
  FlowAddresses addresses_;
  uint32_t client_seq_;  // next sequence number the client side sends
  uint32_t server_seq_;
};

}  // namespace camleak::proxy
