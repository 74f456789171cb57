#include "emulators/relay/publisher.hpp"

#include <cstdio>

#include "emulators/h264/nal.hpp"
#include "emulators/relay/relay_core.hpp"

namespace camleak::relay {

namespace {

// How long packets are held behind a missing one before it is given up on.
constexpr auto kMissingPacketWait = std::chrono::milliseconds(500);

}  // namespace

PublisherSession::PublisherSession(RelayCore& core, uint64_t connection, std::string camera,
                                   rtsp::H264SdpTrack track)
    : core_(core), connection_(connection), camera_(std::move(camera)), track_(std::move(track)) {}

void PublisherSession::announce(std::string camera, rtsp::H264SdpTrack track) {
  camera_ = std::move(camera);
  track_ = std::move(track);
}

void PublisherSession::prepare_ingest(bool over_udp) {
  rtsp::H264DepacketizerConfig dc;
  dc.payload_type = track_.payload_type;
  dc.max_access_unit_bytes = core_.config().limits.max_access_unit_bytes;
  dc.reorder_window = over_udp ? 32 : 0;
  depacketizer_ = std::make_unique<rtsp::H264Depacketizer>(
      dc, [this](rtsp::ReceivedAccessUnit&& au) { on_access_unit(std::move(au)); });
}

void PublisherSession::attach(Channel& channel) {
  channel.publisher = connection_;
  if (!track_.sps.empty()) channel.sps = track_.sps;
  if (!track_.pps.empty()) channel.pps = track_.pps;
  if (!track_.profile_level_id.empty()) channel.profile_level_id = track_.profile_level_id;
  ingest_channel_ = &channel;
  core_.seen_cameras.insert(camera_);
  resolving_ = false;
  recording_ = true;
  last_packet_ = core_.now();
  ++core_.counters.publish_sessions_started;
}

void PublisherSession::detach() {
  if (ingest_channel_ != nullptr && ingest_channel_->publisher == connection_) {
    ingest_channel_->publisher = 0;
  }
  ingest_channel_ = nullptr;
}

void PublisherSession::on_rtp(std::span<const uint8_t> packet) {
  if (!recording_ || !depacketizer_) return;  // before RECORD completed: nothing to feed
  ++core_.counters.rtp_packets_in;
  last_packet_ = core_.now();
  depacketizer_->push(packet);
  sync_depacketizer_counters();
}

void PublisherSession::on_access_unit(rtsp::ReceivedAccessUnit&& au) {
  if (ingest_channel_ == nullptr) return;
  ++core_.counters.frames_in;
  Channel& channel = *ingest_channel_;
  for (const auto& nal : au.nals) {
    const uint8_t type = h264::nal_unit_type(nal);
    if (type == h264::nal_type::sps && nal.size() >= 4 && nal.size() <= 256) {
      channel.sps = nal;
      char pli[7];
      std::snprintf(pli, sizeof pli, "%02x%02x%02x", nal[1], nal[2], nal[3]);
      channel.profile_level_id = pli;
    } else if (type == h264::nal_type::pps && nal.size() >= 2 && nal.size() <= 256) {
      channel.pps = nal;
    }
  }
  const FramePtr frame = build_frame(au, ++frame_index_, packetizer_, channel.sps, channel.pps);
  if (channel.push(frame)) ++core_.counters.gop_cache_overflows;
}

void PublisherSession::sync_depacketizer_counters() {
  const auto& c = depacketizer_->counters();
  auto& out = core_.counters;
  out.frames_incomplete += c.frames_incomplete - depacketizer_seen_.frames_incomplete;
  out.frames_oversize += c.frames_oversize - depacketizer_seen_.frames_oversize;
  out.rtp_packets_invalid +=
      (c.packets_invalid - depacketizer_seen_.packets_invalid) +
      (c.packets_wrong_payload_type - depacketizer_seen_.packets_wrong_payload_type);
  depacketizer_seen_ = c;
}

bool PublisherSession::silent(Micros now) const {
  return recording_ && now - last_packet_ > core_.config().timeouts.ingest;
}

void PublisherSession::release_stale_packets(Micros now) {
  if (depacketizer_ && recording_ && now - last_packet_ > kMissingPacketWait &&
      depacketizer_->held_packets() > 0) {
    depacketizer_->flush();  // the missing packet is not coming: stop holding the rest
    sync_depacketizer_counters();
  }
}

void PublisherSession::add_stats(boost::json::object& out) const {
  out["camera"] = camera_;
  out["channel"] = ingest_channel_ ? ingest_channel_->camera() : "";
  if (depacketizer_) {
    const auto& c = depacketizer_->counters();
    out["packets_received"] = c.packets_received;
    out["packets_lost"] = c.packets_lost;
    out["frames_complete"] = c.frames_complete;
    out["frames_incomplete"] = c.frames_incomplete;
    out["frames_oversize"] = c.frames_oversize;
  }
}

}  // namespace camleak::relay
