#pragma once
// One RTSP connection to the relay: a camera publishing (ANNOUNCE, SETUP mode=record, RECORD)
// or a viewer playing (DESCRIBE, SETUP, PLAY), RTP over TCP interleaved or UDP. One connection
// carries one session. Every request is authenticated (Basic or Digest; camera:secret for
// publishing, account:token for playing) and authorized against provisioning; active viewers
// are re-authorized periodically and on every provisioning change.
//
// Bounded by construction: the stream parser caps headers, bodies and interleaved frames, the
// depacketizer caps access units, a viewer's send queue is capped (frames are dropped until
// the next keyframe and counted), and timeouts close idle, silent or never-reading peers.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/json/object.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulators/relay/channel.hpp"
#include "emulators/relay/media_frame.hpp"
#include "emulators/rtsp/headers.hpp"
#include "emulators/rtsp/message.hpp"
#include "emulators/rtsp/sdp.hpp"
#include "emulators/rtsp/stream_parser.hpp"
#include "harness/core/clock.hpp"

namespace camleak::relay {

class RelayCore;

// "/cameras/{camera}[/...]" of an RTSP request URI (absolute or path); nullopt otherwise.
std::optional<std::string> camera_from_uri(std::string_view uri);

class RtspConnection : public std::enable_shared_from_this<RtspConnection>, public FrameSink {
 public:
  enum class CloseReason {
    peer_closed,
    teardown,
    timeout,
    write_stall,
    revoked,
    framing,
    replaced,
    stopped
  };

  RtspConnection(RelayCore& core, boost::asio::ip::tcp::socket socket, uint64_t id);
  ~RtspConnection() override;

  void start();
  void close(CloseReason reason);
  // Timeouts (idle session, silent publisher, stalled writes).
  void housekeeping(Micros now);
  // Stops a viewer whose credentials or rights are gone.
  void recheck_authorization();
  void deliver(const FramePtr& frame) override;

  uint64_t id() const { return id_; }
  bool closed() const { return closed_; }
  bool is_viewer() const { return role_ == Role::viewer; }
  bool is_publisher() const { return role_ == Role::publisher; }
  boost::json::object stats_json() const;

 private:
  enum class Role { unknown, publisher, viewer };
  enum class PrincipalKind { account, camera };
  struct Principal {
    std::string user;
    std::string secret;
  };

  // input
  void read_more();
  void process_input();
  void handle_request(rtsp::Request&& request);
  void handle_interleaved(const rtsp::InterleavedFrame& frame);
  void handle_rtp(std::span<const uint8_t> packet);

  // methods
  void on_options(const rtsp::Request& request);
  void on_describe(const rtsp::Request& request);
  void on_announce(const rtsp::Request& request);
  void on_setup(const rtsp::Request& request);
  void on_setup_record(const rtsp::Request& request, const std::string& camera);
  void on_setup_play(const rtsp::Request& request, const std::string& camera);
  void on_play(const rtsp::Request& request);
  void on_record(const rtsp::Request& request);
  void on_teardown(const rtsp::Request& request);
  void on_keepalive(const rtsp::Request& request);

  // auth: nullopt after a 401/404 has been answered.
  std::optional<Principal> authenticate(const rtsp::Request& request, PrincipalKind kind);
  bool session_matches(const rtsp::Request& request);

  // output
  void reply(const rtsp::Request& request, rtsp::Response response);
  void reply_status(const rtsp::Request& request, int status, const std::string& why = {});
  void reply_unauthorized(const rtsp::Request& request);
  void queue_bytes(std::string_view bytes);
  size_t queued_bytes() const { return out_pending_.size() + out_writing_.size(); }
  void flush();

  // transports
  std::optional<rtsp::TransportHeader> choose_transport(const rtsp::Request& request,
                                                        rtsp::TransportMode mode);
  bool open_udp(const rtsp::PortPair& client_ports);
  void receive_udp_rtp();
  void receive_udp_rtcp();
  void handle_rtcp(std::span<const uint8_t> packet);

  // publish
  void attach_ingest(const std::string& channel_name);
  void on_access_unit(rtsp::ReceivedAccessUnit&& au);
  void sync_depacketizer_counters();

  // play
  void start_play();
  void send_frame(const FramePtr& frame);
  void detach_viewer(bool clean);
  std::string session_header_value() const;

  RelayCore& core_;
  boost::asio::ip::tcp::socket socket_;
  uint64_t id_;
  std::string peer_;
  Role role_ = Role::unknown;
  bool closed_ = false;
  bool close_after_flush_ = false;
  CloseReason close_reason_ = CloseReason::teardown;
  Micros last_activity_{};
  bool had_request_ = false;

  std::vector<uint8_t> read_buf_;
  rtsp::StreamParser parser_;
  rtsp::ParserCounters parser_seen_{};
  std::string out_pending_;
  std::string out_writing_;
  bool writing_ = false;
  Micros write_started_{};
  std::deque<std::string> nonces_;  // Digest nonces issued on this connection

  // transport
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
  bool setup_done_ = false;
  std::string session_id_;

  // publisher
  std::string camera_;  // authenticated publisher camera
  std::optional<rtsp::H264SdpTrack> track_;
  bool recording_ = false;
  bool resolving_ = false;
  Channel* ingest_channel_ = nullptr;
  std::unique_ptr<rtsp::H264Depacketizer> depacketizer_;
  std::unique_ptr<rtsp::H264Packetizer> packetizer_;
  rtsp::DepacketizerCounters depacketizer_seen_{};
  uint64_t frame_index_ = 0;
  Micros last_packet_{};

  // viewer
  std::string auth_account_;  // who authenticated
  std::string auth_token_;
  std::string account_;      // the session's account (what is authorized)
  std::string view_camera_;  // the session's camera (what is streamed)
  std::string control_url_;
  Channel* view_channel_ = nullptr;
  bool playing_ = false;
  bool need_keyframe_ = true;
  bool dropping_ = false;
  uint32_t ssrc_ = 0;
  uint16_t sequence_ = 0;
  std::optional<size_t> slot_;
  uint64_t frames_out_ = 0;
  uint64_t frames_dropped_ = 0;
  uint64_t bytes_out_ = 0;
};

}  // namespace camleak::relay
