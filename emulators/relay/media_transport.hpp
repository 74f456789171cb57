#pragma once
// How the RTP and RTCP of one RTSP connection travel: interleaved on the connection itself (on
// the channel pair the client chose) or over a pair of UDP sockets to the connection's peer.
// Negotiated by SETUP and shared by both roles: a publisher receives RTP on it, a viewer sends
// RTP on it, both send RTCP to it.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "emulators/relay/counters.hpp"
#include "emulators/relay/media_frame.hpp"
#include "emulators/rtsp/headers.hpp"
#include "emulators/rtsp/message.hpp"

namespace camleak::relay {

// Where the datagrams a UDP transport receives from its peer go (the connection).
class MediaReceiver {
 public:
  virtual ~MediaReceiver() = default;
  virtual bool closed() const = 0;
  virtual void on_udp_rtp(std::span<const uint8_t> packet) = 0;
  virtual void on_udp_rtcp(std::span<const uint8_t> packet) = 0;
};

class MediaTransport {
 public:
  // `control`: the RTSP connection, whose addresses the UDP sockets bind to and send to.
  MediaTransport(boost::asio::ip::tcp::socket& control, RelayCounters& counters);

  // The receiver of UDP datagrams; every receive in flight keeps it alive, as it owns this.
  void set_receiver(std::weak_ptr<MediaReceiver> receiver) { receiver_ = std::move(receiver); }

  // The answer to the Transport offers of a SETUP: the first usable one, RTP/AVP unicast over
  // TCP interleaved or UDP. A UDP offer opens the socket pair unless it is open already.
  // nullopt when no offer is usable.
  std::optional<rtsp::TransportHeader> choose(const rtsp::Request& setup, rtsp::TransportMode mode);
  // The session's transport: the answer to its first SETUP.
  void adopt(const rtsp::TransportHeader& answer);

  bool udp() const { return udp_; }
  uint8_t rtp_channel() const { return rtp_channel_; }
  uint8_t rtcp_channel() const { return rtcp_channel_; }

  // One frame's packets, numbered from `sequence` (advanced past them) and stamped with
  // `ssrc`: appended to `interleaved_out` (the connection's write queue), or sent to the peer
  // at once over UDP.
  void send(const MediaFrame& frame, uint16_t& sequence, uint32_t ssrc,
            std::string& interleaved_out);

  void close();

 private:
  bool open_udp(const rtsp::PortPair& client_ports);
  void receive_rtp(std::shared_ptr<MediaReceiver> receiver);
  void receive_rtcp(std::shared_ptr<MediaReceiver> receiver);
  void send_udp(const MediaFrame& frame, uint16_t& sequence, uint32_t ssrc);

  boost::asio::ip::tcp::socket& control_;
  RelayCounters& counters_;
  std::weak_ptr<MediaReceiver> receiver_;
  bool udp_ = false;
  uint8_t rtp_channel_ = 0;
  uint8_t rtcp_channel_ = 1;
  std::optional<boost::asio::ip::udp::socket> udp_rtp_;
  std::optional<boost::asio::ip::udp::socket> udp_rtcp_;
  boost::asio::ip::udp::endpoint udp_peer_rtp_;
  boost::asio::ip::udp::endpoint udp_from_;
  std::vector<uint8_t> udp_buf_;
  std::vector<uint8_t> udp_rtcp_buf_;
  std::vector<uint8_t> udp_scratch_;
};

}  // namespace camleak::relay
