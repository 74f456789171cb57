#include "emulators/rtsp/h264_depacketizer.hpp"

#include "emulators/h264/nal.hpp"

namespace camleak::rtsp {
namespace {
// RFC 3550 appendix A.1: jumps larger than these are a restarted sender, not loss/reordering.
constexpr int kMaxDropout = 3000;
constexpr int kMaxMisorder = 100;
}  // namespace

H264Depacketizer::H264Depacketizer(H264DepacketizerConfig config, AccessUnitSink sink)
    : config_(config), sink_(std::move(sink)) {
  slots_.resize(config_.reorder_window);
}

void H264Depacketizer::restart(uint32_t ssrc, uint16_t sequence, bool start_known) {
  started_ = true;
  ssrc_ = ssrc;
  expected_ = sequence;
  highest_ = start_known ? static_cast<uint16_t>(sequence - 1) : sequence;
  sequence_cycles_ = 0;
  history_ = 0;
  first_au_untrusted_ = !start_known;
}

void H264Depacketizer::push(std::span<const uint8_t> packet) {
  auto view = parse_rtp(packet);
  if (!view) {
    ++counters_.packets_invalid;
    counters_.bytes_garbage += packet.size();
    return;
  }
  if (config_.payload_type && view->header.payload_type != *config_.payload_type) {
    ++counters_.packets_wrong_payload_type;
    return;
  }
  ++counters_.packets_received;
  const uint16_t seq = view->header.sequence;
  if (!started_) {
    restart(view->header.ssrc, config_.first_sequence.value_or(seq),
            config_.first_sequence.has_value());
  } else if (view->header.ssrc != ssrc_) {
    ++counters_.ssrc_changes;
    flush();
    restart(view->header.ssrc, seq, false);
  }
  int d = seq_diff(seq, expected_);
  if (d < 0) {
    int behind = -d;
    if (behind <= 64 && ((history_ >> (behind - 1)) & 1)) {
      ++counters_.packets_duplicate;
      return;
    }
    if (behind <= kMaxMisorder) {
      // Its sequence number was already given up on (or precedes the stream start).
      ++counters_.packets_reordered;
      ++counters_.packets_late;
      return;
    }
    ++counters_.sequence_resets;
    flush();
    restart(ssrc_, seq, false);
    d = 0;
  } else if (d >= kMaxDropout) {
    ++counters_.sequence_resets;
    flush();
    restart(ssrc_, seq, false);
    d = 0;
  }
  if (d > 0 && static_cast<size_t>(d) < slots_.size()) {
    const Slot& s = slots_[seq % slots_.size()];
    if (s.present && s.sequence == seq) {
      ++counters_.packets_duplicate;
      return;
    }
  }
  if (seq_diff(seq, highest_) < 0) {
    ++counters_.packets_reordered;
  } else {
    if (seq < highest_) ++sequence_cycles_;
    highest_ = seq;
  }

  if (d > 0) {
    give_up_until_within_window(seq);
    drain_held();  // giving up may have made held packets next in line
    d = seq_diff(seq, expected_);
  }
  if (d == 0) {
    process_in_order(packet);
    drain_held();
    return;
  }
  Slot& s = slots_[seq % slots_.size()];
  s.present = true;
  s.sequence = seq;
  s.data.assign(packet.begin(), packet.end());
  ++held_count_;
}

void H264Depacketizer::advance(bool received) {
  history_ = (history_ << 1) | (received ? 1u : 0u);
  ++expected_;
}

void H264Depacketizer::skip_missing() {
  ++counters_.packets_lost;
  gap_pending_ = true;
  advance(false);
}

void H264Depacketizer::process_in_order(std::span<const uint8_t> packet) {
  // Parsed again rather than stored parsed: held packets own their bytes, views would dangle.
  if (auto view = parse_rtp(packet)) assemble(*view);
  advance(true);
}

void H264Depacketizer::drain_held() {
  while (held_count_ > 0) {
    Slot& s = slots_[expected_ % slots_.size()];
    if (!s.present || s.sequence != expected_) break;
    s.present = false;
    --held_count_;
    process_in_order(s.data);
  }
}

void H264Depacketizer::give_up_until_within_window(uint16_t sequence) {
  for (;;) {
    int d = seq_diff(sequence, expected_);
    if (d <= 0 || static_cast<size_t>(d) < slots_.size()) return;
    if (!slots_.empty()) {
      Slot& s = slots_[expected_ % slots_.size()];
      if (s.present && s.sequence == expected_) {
        s.present = false;
        --held_count_;
        process_in_order(s.data);
        continue;
      }
    }
    skip_missing();
  }
}

void H264Depacketizer::flush_held() {
  while (held_count_ > 0) {
    Slot& s = slots_[expected_ % slots_.size()];
    if (s.present && s.sequence == expected_) {
      s.present = false;
      --held_count_;
      process_in_order(s.data);
    } else {
      skip_missing();
    }
  }
}

void H264Depacketizer::flush() {
  flush_held();
  if (au_active_) finish_access_unit(false);
}

void H264Depacketizer::damage() {
  au_damaged_ = true;
  au_.nals.clear();
  fu_.clear();
  fu_active_ = false;
}

void H264Depacketizer::add_nal(std::span<const uint8_t> nal) {
  if (au_damaged_) return;
  au_bytes_ += nal.size();
  if (au_bytes_ > config_.max_access_unit_bytes) {
    au_oversize_ = true;
    damage();
    return;
  }
  au_.nals.emplace_back(nal.begin(), nal.end());
}

void H264Depacketizer::assemble(const RtpPacketView& p) {
  const uint32_t ts = p.header.timestamp;
  if (au_active_ && gap_pending_) damage();  // the lost packets may have been this AU's tail
  if (au_active_ && ts != au_.timestamp) finish_access_unit(true);
  if (!au_active_) {
    au_active_ = true;
    au_damaged_ = false;
    au_oversize_ = false;
    au_bytes_ = 0;
    au_.timestamp = ts;
    au_.ssrc = ssrc_;
    au_.first_sequence = p.header.sequence;
    au_.nals.clear();
    fu_active_ = false;
    fu_.clear();
    if (gap_pending_ || first_au_untrusted_) damage();  // ... or this AU's head
    first_au_untrusted_ = false;
  }
  gap_pending_ = false;
  au_.last_sequence = p.header.sequence;

  std::span<const uint8_t> payload = p.payload;
  if (payload.empty()) {
    ++counters_.nal_unsupported;
    damage();
  } else {
    uint8_t type = payload[0] & 0x1F;
    if (type >= 1 && type <= 23) {
      if (fu_active_) damage();  // an FU-A never got its end fragment
      add_nal(payload);
    } else if (type == h264::nal_type::stap_a) {
      if (fu_active_) damage();
      size_t off = 1;
      while (off < payload.size()) {
        if (payload.size() - off < 2) {
          counters_.bytes_garbage += payload.size() - off;
          damage();
          break;
        }
        size_t len = (static_cast<size_t>(payload[off]) << 8) | payload[off + 1];
        off += 2;
        if (len == 0 || len > payload.size() - off) {
          counters_.bytes_garbage += payload.size() - off + 2;
          damage();
          break;
        }
        add_nal(payload.subspan(off, len));
        off += len;
      }
    } else if (type == h264::nal_type::fu_a) {
      if (payload.size() < 3) {
        counters_.bytes_garbage += payload.size();
        damage();
      } else {
        uint8_t fh = payload[1];
        bool start = fh & 0x80, end = fh & 0x40;
        if (start && end) {
          counters_.bytes_garbage += payload.size();  // RFC 6184 5.8: MUST NOT both be set
          damage();
        } else if (start) {
          if (fu_active_) damage();
          if (!au_damaged_) {
            fu_active_ = true;
            fu_.clear();
            fu_.push_back(static_cast<uint8_t>((payload[0] & 0xE0) | (fh & 0x1F)));
            fu_.insert(fu_.end(), payload.begin() + 2, payload.end());
          }
        } else if (!fu_active_) {
          damage();  // a middle or end fragment whose start we never saw
        } else {
          fu_.insert(fu_.end(), payload.begin() + 2, payload.end());
          if (au_bytes_ + fu_.size() > config_.max_access_unit_bytes) {
            au_oversize_ = true;
            damage();
          } else if (end) {
            fu_active_ = false;
            // Hand the reassembled unit over without copying it (access units are mostly
            // FU-A slices, so this is the hot path).
            au_bytes_ += fu_.size();
            au_.nals.push_back(std::move(fu_));
            fu_ = std::vector<uint8_t>();
          }
        }
      }
    } else {
      // STAP-B, MTAP16/24, FU-B (interleaved mode) and the reserved types 0, 30, 31.
      ++counters_.nal_unsupported;
      if (type == 0 || type >= 30) counters_.bytes_garbage += payload.size();
      damage();
    }
  }
  if (p.header.marker) finish_access_unit(true);
}

void H264Depacketizer::finish_access_unit(bool end_seen) {
  if (fu_active_) damage();  // truncated FU-A: the marker or next timestamp came first
  if (au_oversize_) {
    ++counters_.frames_oversize;
  } else if (au_damaged_ || !end_seen || au_.nals.empty()) {
    ++counters_.frames_incomplete;
  } else {
    ++counters_.frames_complete;
    ReceivedAccessUnit done = std::move(au_);
    au_ = ReceivedAccessUnit{};
    sink_(std::move(done));
  }
  au_active_ = false;
  au_damaged_ = false;
  au_oversize_ = false;
  au_bytes_ = 0;
  au_.nals.clear();
  fu_active_ = false;
  fu_.clear();
}

}  // namespace camleak::rtsp
