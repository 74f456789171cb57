#include "emulators/rtsp/h264_packetizer.hpp"

#include <algorithm>

#include "emulators/h264/nal.hpp"

namespace camleak::rtsp {

H264Packetizer::H264Packetizer(H264PacketizerConfig config)
    : config_(config), sequence_(config.initial_sequence) {
  config_.max_payload = std::max<size_t>(config_.max_payload, 3);
  packet_.reserve(kRtpFixedHeaderSize + config_.max_payload);
}

void H264Packetizer::emit(bool marker, uint32_t timestamp, const PacketSink& sink) {
  RtpHeader h;
  h.marker = marker;
  h.payload_type = config_.payload_type;
  h.sequence = sequence_++;
  h.timestamp = timestamp;
  h.ssrc = config_.ssrc;
  write_rtp_header(h, packet_.data());
  ++counters_.packets;
  counters_.payload_bytes += packet_.size() - kRtpFixedHeaderSize;
  sink(packet_);
}

void H264Packetizer::packetize(const std::vector<std::vector<uint8_t>>& nals, uint32_t timestamp,
                               const PacketSink& sink) {
  std::vector<std::span<const uint8_t>> views(nals.begin(), nals.end());
  packetize(views, timestamp, sink);
}

void H264Packetizer::packetize(std::span<const std::span<const uint8_t>> all, uint32_t timestamp,
                               const PacketSink& sink) {
  std::vector<std::span<const uint8_t>> nals;
  nals.reserve(all.size());
  for (auto n : all) {
    if (!n.empty()) nals.push_back(n);
  }
  if (nals.empty()) return;
  ++counters_.access_units;
  const size_t max = config_.max_payload;
  size_t i = 0;
  while (i < nals.size()) {
    std::span<const uint8_t> nal = nals[i];
    if (nal.size() > max) {
      // FU-A: indicator keeps F and NRI of the NAL header, the FU header carries its type.
      uint8_t indicator = static_cast<uint8_t>((nal[0] & 0xE0) | h264::nal_type::fu_a);
      uint8_t type = nal[0] & 0x1F;
      std::span<const uint8_t> rest = nal.subspan(1);
      const size_t chunk = max - 2;
      bool first = true;
      while (!rest.empty()) {
        size_t n = std::min(chunk, rest.size());
        bool last = n == rest.size();
        packet_.resize(kRtpFixedHeaderSize);
        packet_.push_back(indicator);
        packet_.push_back(static_cast<uint8_t>((first ? 0x80 : 0) | (last ? 0x40 : 0) | type));
        packet_.insert(packet_.end(), rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(n));
        rest = rest.subspan(n);
        ++counters_.fu_a_packets;
        emit(last && i + 1 == nals.size(), timestamp, sink);
        first = false;
      }
      ++i;
      continue;
    }
    size_t j = i;
    size_t total = 1;  // STAP-A NAL header
    if (config_.aggregate) {
      while (j < nals.size() && total + 2 + nals[j].size() <= max) {
        total += 2 + nals[j].size();
        ++j;
      }
    }
    packet_.resize(kRtpFixedHeaderSize);
    if (j - i >= 2) {
      uint8_t f = 0, nri = 0;
      for (size_t k = i; k < j; ++k) {
        f |= nals[k][0] & 0x80;
        nri = std::max<uint8_t>(nri, nals[k][0] & 0x60);
      }
      packet_.push_back(static_cast<uint8_t>(f | nri | h264::nal_type::stap_a));
      for (size_t k = i; k < j; ++k) {
        packet_.push_back(static_cast<uint8_t>(nals[k].size() >> 8));
        packet_.push_back(static_cast<uint8_t>(nals[k].size()));
        packet_.insert(packet_.end(), nals[k].begin(), nals[k].end());
      }
      ++counters_.stap_a_packets;
      emit(j == nals.size(), timestamp, sink);
      i = j;
    } else {
      packet_.insert(packet_.end(), nal.begin(), nal.end());
      ++counters_.single_nal_packets;
      emit(i + 1 == nals.size(), timestamp, sink);
      ++i;
    }
  }
}

}  // namespace camleak::rtsp
