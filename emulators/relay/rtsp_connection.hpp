#pragma once
// One RTSP connection to the relay: a camera publishing (ANNOUNCE, SETUP mode=record, RECORD)
// or a viewer playing (DESCRIBE, SETUP, PLAY), RTP over TCP interleaved or UDP. One connection
// carries one session. Every request is authenticated (Basic or Digest; camera:secret for
// publishing, account:token for playing) and authorized against provisioning; active viewers
// are re-authorized periodically and on every provisioning change.
//
// The connection reads and answers the requests and owns the transport; what a session
// established belongs to its role, a PublisherSession (publisher.hpp) or a ViewerSession
// (viewer.hpp), taken by the first request that needs one and kept until the connection ends.
//
// Bounded by construction: the stream parser caps headers, bodies and interleaved frames, the
// roles bound their media (publisher.hpp, viewer.hpp), and timeouts close idle, silent or
// never-reading peers.
//
// With the relay's TLS context (RelayCore::tls) the connection is RTSPS: the TLS handshake comes
// first, bounded by the same first-request timeout, and a failed one is counted
// (tls_handshake_failures) and closes the connection. Requests, replies and interleaved RTP then
// travel inside TLS; UDP RTP stays plain.
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/object.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "emulators/relay/layout.hpp"
#include "emulators/relay/media_transport.hpp"
#include "emulators/relay/publisher.hpp"
#include "emulators/relay/viewer.hpp"
#include "emulators/rtsp/message.hpp"
#include "emulators/rtsp/stream_parser.hpp"
#include "harness/core/clock.hpp"
#include "harness/tls/stream.hpp"

namespace camleak::relay {

class RelayCore;

class RtspConnection : public std::enable_shared_from_this<RtspConnection>,
                       public MediaReceiver,
                       public MediaOutput {
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

  uint64_t id() const { return id_; }
  bool closed() const override { return closed_; }
  bool is_viewer() const { return std::holds_alternative<ViewerSession>(role_); }
  bool is_publisher() const { return std::holds_alternative<PublisherSession>(role_); }
  boost::json::object stats_json() const;

 private:
  enum class PrincipalKind { account, camera };
  struct Principal {
    std::string user;
    std::string secret;
  };

  PublisherSession* publisher() { return std::get_if<PublisherSession>(&role_); }
  ViewerSession* viewer() { return std::get_if<ViewerSession>(&role_); }

  // input
  void handshake();
  void read_more();
  void process_input();
  void handle_request(rtsp::Request&& request);
  void handle_interleaved(const rtsp::InterleavedFrame& frame);
  void handle_rtcp(std::span<const uint8_t> packet);
  void on_udp_rtp(std::span<const uint8_t> packet) override;
  void on_udp_rtcp(std::span<const uint8_t> packet) override;

  // methods
  void on_options(const rtsp::Request& request);
  void on_describe(const rtsp::Request& request);
  void on_announce(const rtsp::Request& request);
  void on_setup(const rtsp::Request& request);
  void on_setup_record(const rtsp::Request& request, const std::string& camera,
                       PublisherSession& publisher);
  void on_setup_play(const rtsp::Request& request, const std::string& camera);
  void on_play(const rtsp::Request& request);
  void on_record(const rtsp::Request& request);
  void on_teardown(const rtsp::Request& request);
  void on_keepalive(const rtsp::Request& request);

  // publish: the camera's channel taken over from a publisher that may linger
  void attach_ingest(PublisherSession& publisher, const std::string& channel_name);

  // auth: nullopt after a 401/404 has been answered.
  std::optional<Principal> authenticate(const rtsp::Request& request, PrincipalKind kind);
  // The cloud layout's ticket in the request URI, as the account it was issued to.
  std::optional<Principal> redeem_ticket(const rtsp::Request& request);
  // The camera the URI names for `role` in the relay's layout; replies 404 when none.
  std::optional<std::string> camera_for(const rtsp::Request& request, StreamPath::Role role);
  bool session_matches(const rtsp::Request& request);

  // output
  void reply(const rtsp::Request& request, rtsp::Response response);
  void reply_status(const rtsp::Request& request, int status, const std::string& why = {});
  void reply_unauthorized(const rtsp::Request& request);
  std::string session_header_value() const;
  void queue_bytes(std::string_view bytes);
  // MediaOutput: the viewer's frames go through the write queue or the transport.
  bool over_udp() const override { return transport_.udp(); }
  size_t queued_bytes() const override { return out_pending_.size() + out_writing_.size(); }
  void send(const MediaFrame& frame, uint16_t& sequence, uint32_t ssrc) override;
  void flush() override;

  RelayCore& core_;
  tls::MaybeTlsStream<boost::asio::ip::tcp::socket> stream_;  // reads and writes, TLS or not
  boost::asio::ip::tcp::socket& socket_;  // stream_'s TCP layer: options, addresses, close
  uint64_t id_;
  std::string peer_;
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
  std::string redeemed_ticket_;     // cloud layout: the ticket this connection's session holds
  std::string redeemed_account_;
  std::string redeemed_camera_;

  MediaTransport transport_;
  bool setup_done_ = false;
  std::string session_id_;

  // Taken by ANNOUNCE (publisher) or the first play SETUP (viewer); never changes after.
  std::variant<std::monostate, PublisherSession, ViewerSession> role_;
};

}  // namespace camleak::relay
