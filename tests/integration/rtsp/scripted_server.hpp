#pragma once
// A tiny scripted RTSP server for the RtspClient integration tests: one connection on
// 127.0.0.1 port 0, answers per a script (auth, failures, silence, SDP, RTP to send), logs
// every request and collects the RTP it receives (interleaved or UDP).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "emulators/rtsp/message.hpp"
#include "emulators/rtsp/stream_parser.hpp"

namespace camleak::rtsp::testing {

struct ServerScript {
  std::string path = "/cameras/cam-1";
  enum class Auth { none, basic, digest } auth = Auth::none;
  std::string user = "cam-1";
  std::string password = "secret";
  std::map<std::string, int> fail_with;  // method -> status to answer instead of 200
  std::set<std::string> never_answer;    // methods left unanswered (timeouts)
  std::string describe_sdp;
  std::string control = "trackID=0";  // expected SETUP suffix
  uint32_t session_timeout = 60;
  uint16_t play_first_sequence = 0;
  std::vector<std::vector<uint8_t>> play_packets;  // sent right after the PLAY answer
  bool reset_after_start = false;  // close the connection right after RECORD/PLAY is answered
  std::string after_start_raw;     // bytes written verbatim after the RECORD/PLAY answer
};

class ScriptedServer {
 public:
  ScriptedServer(boost::asio::io_context& io, ServerScript script);
  uint16_t port() const { return port_; }
  std::string url(const std::string& credentials = "") const;

  std::vector<Request> requests;                   // every request, in order
  std::vector<Response> responses;                 // answers to requests the server sent
  std::vector<std::vector<uint8_t>> rtp_received;  // payloads on the RTP channel / port
  std::vector<std::vector<uint8_t>> rtcp_received;
  bool client_closed = false;
  uint16_t client_rtp_port = 0;
  uint16_t client_rtcp_port = 0;

 private:
  void start_read();
  void handle(const Request& request);
  void respond(Response response);
  void write(std::string bytes);
  void pump();
  void send_play_packets();
  bool authorized(const Request& request) const;
  void receive_udp(bool rtcp);

  boost::asio::io_context& io_;
  ServerScript script_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::optional<boost::asio::ip::tcp::socket> socket_;
  uint16_t port_ = 0;
  StreamParser parser_;
  std::vector<uint8_t> read_buf_ = std::vector<uint8_t>(8192);
  std::deque<std::string> out_;
  bool writing_ = false;
  bool shutdown_when_drained_ = false;
  bool udp_ = false;
  std::optional<boost::asio::ip::udp::socket> udp_rtp_;
  std::optional<boost::asio::ip::udp::socket> udp_rtcp_;
  std::vector<uint8_t> udp_buf_ = std::vector<uint8_t>(65536);
  std::vector<uint8_t> udp_buf_rtcp_ = std::vector<uint8_t>(65536);
  boost::asio::ip::udp::endpoint udp_from_;
  boost::asio::ip::udp::endpoint udp_from_rtcp_;
};

}  // namespace camleak::rtsp::testing
