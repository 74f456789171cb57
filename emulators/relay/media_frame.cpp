#include "emulators/relay/media_frame.hpp"

#include "emulators/h264/nal.hpp"

namespace camleak::relay {

std::span<const uint8_t> MediaFrame::packet(size_t i) const {
  const size_t start = packet_offsets[i] + 4;
  const size_t end = i + 1 < packet_offsets.size() ? packet_offsets[i + 1] : wire.size();
  return std::span<const uint8_t>(wire).subspan(start, end - start);
}

bool is_keyframe(const h264::AccessUnit& au) {
  for (const auto& nal : au.nals) {
    if (h264::nal_unit_type(nal) == h264::nal_type::slice_idr) return true;
  }
  return false;
}

FramePtr build_frame(const rtsp::ReceivedAccessUnit& au, uint64_t index,
                     rtsp::H264Packetizer& packetizer, const std::vector<uint8_t>& sps,
                     const std::vector<uint8_t>& pps) {
  auto frame = std::make_shared<MediaFrame>();
  frame->index = index;
  frame->rtp_timestamp = au.timestamp;
  frame->keyframe = is_keyframe(au);

  std::vector<std::span<const uint8_t>> nals;
  nals.reserve(au.nals.size() + 2);
  if (frame->keyframe) {
    bool has_sps = false;
    bool has_pps = false;
    for (const auto& nal : au.nals) {
      has_sps |= h264::nal_unit_type(nal) == h264::nal_type::sps;
      has_pps |= h264::nal_unit_type(nal) == h264::nal_type::pps;
    }
    if (!has_sps && !sps.empty()) nals.emplace_back(sps);
    if (!has_pps && !pps.empty()) nals.emplace_back(pps);
  }
  for (const auto& nal : au.nals) nals.emplace_back(nal);
  if (frame->keyframe) {
    for (const auto& nal : nals) frame->nals.emplace_back(nal.begin(), nal.end());
  }

  size_t total = 0;
  for (const auto& nal : nals) total += nal.size() + 32;
  frame->wire.reserve(total + 64);
  packetizer.packetize(std::span<const std::span<const uint8_t>>(nals), au.timestamp,
                       [&](std::span<const uint8_t> packet) {
                         frame->packet_offsets.push_back(static_cast<uint32_t>(frame->wire.size()));
                         frame->wire.push_back('$');
                         frame->wire.push_back(0);
                         frame->wire.push_back(static_cast<uint8_t>(packet.size() >> 8));
                         frame->wire.push_back(static_cast<uint8_t>(packet.size()));
                         frame->wire.insert(frame->wire.end(), packet.begin(), packet.end());
                       });
  return frame;
}

}  // namespace camleak::relay
