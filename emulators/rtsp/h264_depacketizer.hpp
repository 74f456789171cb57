#pragma once
// H.264 RTP depacketizer and access-unit reassembler (RFC 6184, packetization-mode 0 and 1;
// RFC 3550 sequence handling). It takes RTP packets as they arrive (possibly lost,
// reordered, duplicated, truncated or garbage) and hands on only complete access units:
// the NAL units (without start codes) of one RTP timestamp, with no sequence gap inside or
// just before them and no broken fragmentation. Everything else is counted, never delivered.
//
// Why "no gap just before": when packets are lost between two access units the receiver
// cannot tell whether the first NAL units of the next access unit were among them, so that
// access unit is conservatively incomplete. A gap can therefore cost two access units.
//
// Reordering: up to `reorder_window` packets are held while a missing sequence number may
// still arrive; when the window is full the missing packet is declared lost. Memory is
// bounded by the window (each slot at most one 64 KiB packet) and by max_access_unit_bytes.
// Stream start: a receiver that joins a stream cannot tell whether it missed the head of the
// first access unit, so after every (re)start (first packet, SSRC change, sequence jump) the
// first access unit is counted incomplete, unless `first_sequence` says where the stream
// starts (the seq= of the PLAY response's RTP-Info): then packets missing before the first
// one received are an ordinary gap and the first access unit can be complete.
//
// Sans-I/O and clock-free: call flush() at end of stream (or when the caller's own timer
// decides a missing packet will not come) to stop holding packets.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "emulators/h264/access_unit.hpp"
#include "emulators/rtsp/rtp.hpp"

namespace camleak::rtsp {

// An access unit (its NAL units without start codes, in decoding order) and the RTP packets
// that carried it.
struct ReceivedAccessUnit : h264::AccessUnit {
  uint32_t timestamp = 0;  // RTP timestamp (90 kHz)
  uint32_t ssrc = 0;
  uint16_t first_sequence = 0;
  uint16_t last_sequence = 0;
};

struct H264DepacketizerConfig {
  std::optional<uint8_t> payload_type;  // when set, other payload types are counted, ignored
  size_t reorder_window = 32;           // packets held waiting for a gap to fill; 0 = none
  size_t max_access_unit_bytes = 4 * 1024 * 1024;
  std::optional<uint16_t> first_sequence;  // where the stream starts, when known (RTP-Info)
};

struct DepacketizerCounters {
  uint64_t packets_received = 0;  // valid RTP packets of the configured payload type
  uint64_t packets_invalid = 0;   // not parseable as RTP
  uint64_t packets_wrong_payload_type = 0;
  uint64_t packets_lost = 0;  // sequence numbers given up on
  uint64_t packets_duplicate = 0;
  uint64_t packets_reordered = 0;  // arrived after a packet with a higher sequence number
  uint64_t packets_late = 0;       // reordered so far that they were already declared lost
  uint64_t bytes_garbage = 0;      // invalid packets, malformed STAP-A/FU-A payloads
  uint64_t nal_unsupported = 0;    // STAP-B, MTAP, FU-B, types 0/30/31, empty payloads
  uint64_t frames_complete = 0;
  uint64_t frames_incomplete = 0;
  uint64_t frames_oversize = 0;  // over max_access_unit_bytes: dropped
  uint64_t sequence_resets = 0;  // sequence jumps too large to be loss or reordering
  uint64_t ssrc_changes = 0;
};

class H264Depacketizer {
 public:
  using AccessUnitSink = std::function<void(ReceivedAccessUnit&& au)>;

  H264Depacketizer(H264DepacketizerConfig config, AccessUnitSink sink);

  // One RTP packet (the bytes of a UDP datagram or an interleaved frame).
  void push(std::span<const uint8_t> packet);
  // Processes every held packet now (missing ones count as lost) and ends the current
  // access unit, which is incomplete since its end was not seen.
  void flush();
  // Where the stream starts (RTP-Info seq), learnt after the depacketizer was made (the PLAY
  // answer). Ignored once packets have arrived: the start was judged then.
  void expect_first_sequence(uint16_t sequence) {
    if (!started_) config_.first_sequence = sequence;
  }

  const DepacketizerCounters& counters() const { return counters_; }
  size_t held_packets() const { return held_count_; }
  // For RTCP receiver reports (RFC 3550 6.4.1): the source followed since the last (re)start,
  // and its extended highest sequence number (wraps past 0 counted in the upper 16 bits).
  bool started() const { return started_; }
  uint32_t ssrc() const { return ssrc_; }
  uint32_t extended_highest_sequence() const { return (sequence_cycles_ << 16) | highest_; }

 private:
  struct Slot {
    bool present = false;
    uint16_t sequence = 0;
    std::vector<uint8_t> data;
  };

  void restart(uint32_t ssrc, uint16_t sequence, bool start_known);
  void skip_missing();  // expected_ never arrived: lost
  void process_in_order(std::span<const uint8_t> packet);
  void advance(bool received);
  void drain_held();
  void give_up_until_within_window(uint16_t sequence);
  void flush_held();

  // Access-unit assembly, fed in sequence order.
  void assemble(const RtpPacketView& packet);
  void add_nal(std::span<const uint8_t> nal);
  void damage();
  void finish_access_unit(bool end_seen);

  H264DepacketizerConfig config_;
  AccessUnitSink sink_;
  DepacketizerCounters counters_;

  bool started_ = false;
  uint32_t ssrc_ = 0;
  uint16_t expected_ = 0;         // next sequence number to assemble
  uint16_t highest_ = 0;          // highest sequence number seen
  uint32_t sequence_cycles_ = 0;  // times highest_ wrapped past 0 since the last restart
  uint64_t history_ = 0;          // bit k: expected_-1-k was received (duplicate detection)
  std::vector<Slot> slots_;       // reorder window, indexed by sequence % size
  size_t held_count_ = 0;

  bool first_au_untrusted_ = false;  // the next AU may lack a head we never saw
  bool gap_pending_ = false;         // packets were lost since the last assembled packet
  bool au_active_ = false;
  bool au_damaged_ = false;
  bool au_oversize_ = false;
  size_t au_bytes_ = 0;
  ReceivedAccessUnit au_;
  bool fu_active_ = false;
  std::vector<uint8_t> fu_;
};

}  // namespace camleak::rtsp
