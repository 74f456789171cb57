#pragma once
// The publishing side of an RTSP connection: a camera that announced its H.264 track (ANNOUNCE),
// set up its transport (SETUP mode=record) and records (RECORD) into its channel. Its RTP is
// depacketized into access units, each packetized once into the frame every viewer of the
// channel is sent. The connection answers the requests; this holds what they established.
//
// Bounded by construction: the depacketizer caps access units, and a recording camera that
// falls silent for timeouts.ingest is timed out.
#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "emulators/relay/channel.hpp"
#include "emulators/rtsp/h264_depacketizer.hpp"
#include "emulators/rtsp/h264_packetizer.hpp"
#include "emulators/rtsp/sdp.hpp"
#include "harness/core/clock.hpp"

namespace camleak::relay {

class RelayCore;

class PublisherSession {
 public:
  // ANNOUNCE: `camera` (authenticated as itself) and the track of its SDP.
  PublisherSession(RelayCore& core, uint64_t connection, std::string camera,
                   rtsp::H264SdpTrack track);
  // The depacketizer calls back into this object.
  PublisherSession(const PublisherSession&) = delete;
  PublisherSession& operator=(const PublisherSession&) = delete;

  // A further ANNOUNCE before recording: replaces camera and track (a depacketizer made by an
  // earlier SETUP is kept).
  void announce(std::string camera, rtsp::H264SdpTrack track);
  const std::string& camera() const { return camera_; }

  // SETUP: the depacketizer for the announced track. UDP may reorder packets, so over UDP the
  // depacketizer holds a few while a gap may still fill.
  void prepare_ingest(bool over_udp);

  // RECORD: the channel is resolved (at once, or through the mapping cache: `await_channel`
  // until then), then the camera records into it.
  bool resolving() const { return resolving_; }
  bool recording() const { return recording_; }
  void await_channel() { resolving_ = true; }
  // Takes over `channel` (its parameter sets come from the SDP until in-band ones arrive). A
  // previous publisher of the channel must be closed by the caller.
  void attach(Channel& channel);
  // The connection closed: the channel has no publisher, unless another one has taken it over.
  void detach();

  // One RTP packet from the camera (ignored until RECORD completed).
  void on_rtp(std::span<const uint8_t> packet);

  // Recording, but no packet for timeouts.ingest: the camera is gone.
  bool silent(Micros now) const;
  // Periodic: a packet missing for long is not coming; releases the ones held behind it.
  void release_stale_packets(Micros now);

  // The publisher's fields of the relay's stats.
  void add_stats(boost::json::object& out) const;

 private:
  void on_access_unit(rtsp::ReceivedAccessUnit&& au);
  void sync_depacketizer_counters();

  RelayCore& core_;
  uint64_t connection_;
  std::string camera_;  // authenticated publisher camera
  rtsp::H264SdpTrack track_;
  bool resolving_ = false;
  bool recording_ = false;
  Channel* ingest_channel_ = nullptr;
  std::unique_ptr<rtsp::H264Depacketizer> depacketizer_;
  rtsp::H264Packetizer packetizer_;  // once per access unit, for every viewer of the channel
  rtsp::DepacketizerCounters depacketizer_seen_{};
  uint64_t frame_index_ = 0;
  Micros last_packet_{};
};

}  // namespace camleak::relay
