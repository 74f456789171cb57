#pragma once
// Asynchronous RTSP 1.0 client on Boost.Asio, for the camera emulator (publish) and the hub
// emulator (play). One client = one RTSP session on one TCP connection; thousands of clients
// share one io_context; the client starts no threads (numeric hosts are never resolved
// through Asio's resolver thread).
//
// Publish (camera):                         Play (hub):
//   auto c = RtspClient::create(io, opts);    auto c = RtspClient::create(io, opts);
//   c->publish(sdp, [](const ClientError& e,  c->on_rtp([](std::span<const uint8_t> p) {...});
//                      const SessionInfo&) {  c->play([](const ClientError& e,
//     if (!e) start sending c->send_rtp(..)            const SessionInfo& info) {...});
//   });                                       ...
//   c->teardown([](const ClientError&) {});   c->teardown(...);
//
// publish = [connect] OPTIONS, ANNOUNCE (SDP), SETUP (mode=record), RECORD.
// play    = [connect] OPTIONS, DESCRIBE, SETUP (mode=play), PLAY.
// RTP goes over TCP interleaved (channels 0-1 unless the server picks others) or over UDP
// (a local RTP/RTCP port pair bound on the TCP connection's local address, RTCP on port+1
// where possible). Credentials come from the URL or the options: Basic is sent up front
// (the SUT contract uses Basic), Digest (RFC 2617) is answered when the server asks.
// Once streaming, the session is kept alive with GET_PARAMETER (OPTIONS when the server does
// not list GET_PARAMETER) at half the server's session timeout.
//
// Hub: over TCP the PLAY answer precedes every RTP packet on the connection, so the play
// completion can create the H264Depacketizer with first_sequence = SessionInfo::rtp_info seq
// (then the first access unit counts). Over UDP packets may overtake the answer: create the
// depacketizer before play() without first_sequence (its first access unit is then dropped
// as untrusted, see h264_depacketizer.hpp).
//
// Leniency: the client accepts what ffmpeg, GStreamer and live555 accept, so a SUT is judged on
// whose pictures it delivers rather than on RFC nits. A SETUP reply without Session reuses the
// session an earlier reply (ANNOUNCE, DESCRIBE) gave, or goes on without one; a malformed
// Session keeps the id before ';'; an answer without a usable CSeq answers the oldest request
// still waiting (an answer to a request that timed out is still dropped); a Transport reply
// without interleaved= keeps the requested channels; no Content-Base resolves against the request
// URL; an SDP without a=control sets up the base URL; a PLAY without RTP-Info starts at the first
// packet. Each such deviation is a conformance note (options.conformance), never a failure.
// Refused: no H.264 video in the SDP, a Transport the client cannot use, unframeable input.
//
// TLS (RTSPS, RFC 7826 section 19.2): an rtsps:// URL, or options.tls set, makes the connection
// TLS, verified by that context and expecting the URL's host in the server's certificate. The
// handshake follows the TCP connect under the same connect_timeout; its failure is a ClientError
// of kind tls with OpenSSL's reason. Interleaved RTP travels inside TLS; RTP over UDP stays
// plain UDP, as RTSPS with RTP/AVP does.
//
// Errors: every completion handler gets a ClientError (kind, RTSP status, indeterminate flag
// for Jepsen histories). A failed publish/play closes the client; the emulator reconnects
// with a new client and its own backoff. After publish/play succeeded, the loss of the
// session (peer reset, keep-alive failure, unframeable input) is reported once through
// on_session_error. Each completion handler runs exactly once, also on close() (cancelled).
// Handlers run on the io_context; none is called from inside publish()/play()/teardown().
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "emulators/rtsp/auth.hpp"
#include "emulators/rtsp/client_error.hpp"
#include "emulators/rtsp/conformance.hpp"
#include "emulators/rtsp/headers.hpp"
#include "emulators/rtsp/message.hpp"
#include "emulators/rtsp/sdp.hpp"
#include "emulators/rtsp/stream_parser.hpp"
#include "emulators/rtsp/url.hpp"
#include "harness/tls/stream.hpp"

namespace camleak::rtsp {

enum class RtpTransport { tcp_interleaved, udp };

// RTP over UDP through something in between: the harness's lossy-link proxy, which cannot see
// the ports a session negotiates. The router is asked once per session, on the client's I/O
// thread. Play: with our own RTP/RTCP endpoints before SETUP; the answer is offered as
// client_port (the server sends there and the route forwards to us). Record: with the server's
// endpoints from the SETUP answer; we send to the answer instead. `keep` holds the route open
// for the session's life. No router, or no answer: RTP goes directly.
struct UdpRoute {
  boost::asio::ip::udp::endpoint rtp;
  boost::asio::ip::udp::endpoint rtcp;
  std::shared_ptr<void> keep;
};
using UdpRouter = std::function<std::optional<UdpRoute>(
    TransportMode mode, const boost::asio::ip::udp::endpoint& rtp,
    const boost::asio::ip::udp::endpoint& rtcp)>;

// Who a device says it is to the SUT, and how (an adapter's `auth`). basic: sent up front, and
// Digest answered if the SUT asks for it instead; digest: sent only once challenged; bearer:
// `password` is the token; none: nothing.
struct ClientCredentials {
  enum class Mode { none, basic, digest, bearer };
  Mode mode = Mode::basic;
  std::string user;
  std::string password;
};

struct RtspClientOptions;
void use_credentials(RtspClientOptions& options, const ClientCredentials& credentials);

struct RtspClientOptions {
  std::string url;   // rtsp[s]://[user:password@]host[:port]/path
  std::string user;  // overrides the URL's credentials when non-empty
  std::string password;
  RtpTransport transport = RtpTransport::tcp_interleaved;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{5000};
  // Keep-alive period; default half the Session timeout the server announced (60 s if none).
  std::optional<std::chrono::milliseconds> keepalive_interval;
  std::string user_agent = "camleak";
  bool preemptive_basic = true;  // send Basic before any challenge
  bool digest_only = false;      // answer Digest challenges only (a Basic one is a refusal)
  // Sent as `Authorization: Bearer ...` with every request instead of user and password (a
  // vendor's token scheme); a 401 is then final.
  std::string bearer_token;
  uint64_t seed = 1;  // Digest cnonce values
  // Outgoing RTP/RTCP queued on the TCP connection beyond this is dropped (and counted),
  // as a real camera's encoder would drop frames on a congested uplink.
  size_t max_send_queue_bytes = 4 * 1024 * 1024;
  size_t udp_receive_buffer = 4096;  // largest RTP datagram accepted over UDP
  // Session id of an earlier session, sent as the Session header of the first SETUP: the
  // resume hint of a viewer back after a reconnect (a correct server ignores or validates it).
  std::string resume_session;
  UdpRouter udp_router;  // RTP over UDP only
  // Where tolerated deviations from the RFCs are noted (shared by a device's clients); none:
  // tolerated all the same, but not recorded.
  std::shared_ptr<Conformance> conformance;
  // The TLS client context (tls/context.hpp): required by an rtsps:// URL, and makes an rtsp://
  // URL's connection TLS too when set. Shared by every client of a device.
  std::shared_ptr<boost::asio::ssl::context> tls;
  // The name the server's certificate must carry; empty: the URL's host. Set when the URL points
  // at something in between (the harness's proxy) rather than at the server itself.
  std::string tls_server_name;
};

// What the session negotiated; passed to the publish/play completion.
struct SessionInfo {
  std::string request_url;  // URL without credentials
  std::string control_url;  // the track URL used in SETUP
  std::string sdp;          // ANNOUNCEd or DESCRIBEd SDP
  H264SdpTrack track;       // parsed from sdp
  SessionHeader session;
  TransportHeader transport;           // as answered by the server
  std::vector<RtpInfoEntry> rtp_info;  // from PLAY (may be empty)
};

struct ClientCounters {
  uint64_t requests_sent = 0;
  uint64_t responses_received = 0;
  uint64_t unmatched_responses = 0;  // CSeq we were not waiting for (e.g. after a timeout)
  uint64_t auth_retries = 0;
  uint64_t keepalives_sent = 0;
  uint64_t server_requests = 0;  // requests the server sent us (answered)
  uint64_t rtp_packets_received = 0;
  uint64_t rtp_bytes_received = 0;
  uint64_t rtcp_packets_received = 0;
  uint64_t rtp_packets_sent = 0;
  uint64_t rtp_bytes_sent = 0;
  uint64_t rtp_packets_dropped = 0;  // send queue full or UDP would block
  uint64_t frames_unknown_channel = 0;
  uint64_t parse_errors = 0;
};

class RtspClient : public std::enable_shared_from_this<RtspClient> {
 public:
  enum class State { idle, connecting, negotiating, streaming, closed };
  using Completion = std::function<void(const ClientError&)>;
  using SessionCompletion = std::function<void(const ClientError&, const SessionInfo&)>;
  using ResponseHandler = std::function<void(const ClientError&, const Response&)>;
  using PacketHandler = std::function<void(std::span<const uint8_t> packet)>;

  static std::shared_ptr<RtspClient> create(boost::asio::io_context& io, RtspClientOptions options);
  ~RtspClient();
  RtspClient(const RtspClient&) = delete;
  RtspClient& operator=(const RtspClient&) = delete;

  // Incoming media (play) and reports. The span is valid during the call only.
  void on_rtp(PacketHandler handler) { rtp_handler_ = std::move(handler); }
  void on_rtcp(PacketHandler handler) { rtcp_handler_ = std::move(handler); }
  // Called once if an established (streaming) session is lost.
  void on_session_error(Completion handler) { session_error_handler_ = std::move(handler); }

  void publish(std::string sdp, SessionCompletion done);
  void play(SessionCompletion done);
  // TEARDOWN (when a session exists), then close. `done` gets the TEARDOWN outcome.
  void teardown(Completion done);
  // Closes at once; pending completions get `cancelled`. on_session_error is not called.
  void close();

  // Sends one RTP (or RTCP) packet of the publish session. False when it was dropped
  // (queue full, UDP would block) or the client is not streaming.
  bool send_rtp(std::span<const uint8_t> packet);
  bool send_rtcp(std::span<const uint8_t> packet);

  // A custom request on the connection (after publish/play completed): CSeq, Session,
  // User-Agent and Authorization are added. Non-2xx answers are errors of kind status.
  void request(Request request, ResponseHandler done);

  State state() const { return state_; }
  const ClientCounters& counters() const { return counters_; }
  const ParserCounters& parser_counters() const { return parser_.counters(); }
  const SessionInfo& session_info() const { return info_; }
  // Local UDP ports (0 when not using UDP).
  uint16_t local_rtp_port() const;
  uint16_t local_rtcp_port() const;

 private:
  struct Passkey {};

 public:
  RtspClient(Passkey, boost::asio::io_context& io, RtspClientOptions options);

 private:
  struct Pending {
    Request request;
    ResponseHandler handler;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };

  void start_flow(bool publish, std::string sdp, SessionCompletion done);
  void connect(Completion done);
  void on_connected(const boost::system::error_code& ec, Completion done);
  void start_session(Completion done);
  boost::asio::ip::tcp::socket& socket() { return stream_.next_layer(); }
  void send_request(Request request, ResponseHandler done);
  void transmit(uint32_t cseq);
  void handle_response(Response&& response);
  void handle_server_request(const Request& request);
  void handle_frame(const InterleavedFrame& frame);
  void start_read();
  void queue_bytes(std::string_view bytes);
  void flush_writes();
  void fail(ClientError error);
  void shutdown_sockets();
  void complete_flow(const ClientError& error);
  void start_keepalive();
  void arm_keepalive();
  ClientError open_udp();
  void start_udp_receive(bool rtcp);
  bool send_udp(bool rtcp, std::span<const uint8_t> packet);
  bool send_interleaved(uint8_t channel, std::span<const uint8_t> packet);
  Request make_request(std::string method, std::string uri) const;
  TransportHeader transport_offer(TransportMode mode) const;
  ClientError accept_setup(const Response& response, bool publish);
  // The pending request an answer belongs to, or pending_.end() (see "Leniency" above).
  std::map<uint32_t, Pending>::iterator match_response(const Response& response);
  // A Session header value as ffmpeg reads it; nullopt when there is no usable id.
  std::optional<SessionHeader> lenient_session(std::string_view value, std::string_view example);
  void adopt_early_session(const Request& request, const Response& response);
  void accept_rtp_info(const Response& response, std::string_view example);
  // `example`: the request line ("SETUP rtsp://...") the deviation answered.
  void note(std::string_view text, std::string_view example);
  // Asks the router (if any) for a route; errors become ClientError.
  ClientError route_udp(TransportMode mode, const boost::asio::ip::udp::endpoint& rtp,
                        const boost::asio::ip::udp::endpoint& rtcp);

  // flow steps
  void step_options(bool publish);
  void step_announce();
  void step_describe();
  void step_setup(bool publish);
  void step_start(bool publish);

  boost::asio::io_context& io_;
  RtspClientOptions options_;
  std::optional<RtspUrl> url_;
  std::string base_url_;
  ClientAuthenticator auth_;
  State state_ = State::idle;

  tls::MaybeTlsStream<boost::asio::ip::tcp::socket> stream_;  // TLS when the session is secure
  boost::asio::steady_timer connect_timer_;
  boost::asio::steady_timer keepalive_timer_;
  std::vector<uint8_t> read_buf_;
  StreamParser parser_;
  std::string out_pending_;
  std::string out_writing_;
  bool writing_ = false;

  std::optional<boost::asio::ip::udp::socket> udp_rtp_;
  std::optional<boost::asio::ip::udp::socket> udp_rtcp_;
  boost::asio::ip::udp::endpoint udp_peer_rtp_;
  boost::asio::ip::udp::endpoint udp_peer_rtcp_;
  std::optional<UdpRoute> udp_route_;  // released when the session closes
  boost::asio::ip::udp::endpoint udp_from_rtp_;
  boost::asio::ip::udp::endpoint udp_from_rtcp_;
  std::vector<uint8_t> udp_buf_rtp_;
  std::vector<uint8_t> udp_buf_rtcp_;

  uint8_t rtp_channel_ = 0;
  uint8_t rtcp_channel_ = 1;
  uint32_t next_cseq_ = 1;
  std::map<uint32_t, Pending> pending_;
  std::set<uint32_t> abandoned_;  // CSeqs of requests that timed out (bounded)
  std::string server_public_;
  SessionInfo info_;
  bool have_session_ = false;
  std::string session_from_;  // method whose answer gave the session ("SETUP" normally)

  SessionCompletion flow_done_;
  PacketHandler rtp_handler_;
  PacketHandler rtcp_handler_;
  Completion session_error_handler_;
  ClientCounters counters_;
};

}  // namespace camleak::rtsp
