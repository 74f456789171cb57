#pragma once
// A loopback RTSP server whose answers are raw text, for the leniency tests: a test can send
// exactly the deviation it is about (no CSeq, lower-case names, no Session, no RTP-Info ...),
// which the typed ScriptedServer cannot. Every method has a conformant default answer; a test
// replaces the ones it bends. Accepts any number of connections on 127.0.0.1 port 0 and runs on
// the io_context it is given (one thread). `requests` is for tests that run that io_context
// themselves; tests that run it on another thread only use what the client reports.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "emulators/rtsp/message.hpp"

namespace camleak::rtsp::testing {

// The raw bytes to write in answer to a request ("" = leave it unanswered). May be followed by
// interleaved frames (see interleaved()).
using RawReply = std::function<std::string(const Request&)>;

// "RTSP/1.0 <status_line>\r\n" + each header line + Content-Length (when a body) + body. No
// CSeq is added: pass cseq_line(request) among the lines unless the test is about its absence.
std::string raw_reply(std::string_view status_line, const std::vector<std::string>& lines,
                      std::string_view body = {});
std::string cseq_line(const Request& request);
// '$' channel length payload.
std::string interleaved(uint8_t channel, const std::vector<uint8_t>& payload);

// An H.264 SDP (one video track). `control` is the media-level a=control ("" for none).
std::string h264_sdp(const std::string& control = "trackID=0");

// A 200 answer to a DESCRIBE: Content-Type `content_type`, Content-Base uri/, then `extra`
// header lines, and `sdp` as the body. What the conformant server sends, and what a test bends
// (another type, a session, an SDP without a=control).
std::string describe_reply(const Request& request, std::string_view content_type,
                           std::string_view sdp, const std::vector<std::string>& extra = {});

// The conformant answer to a request of our client (URLs derived from its request URI): the
// server's default, and what a test's RawReply bends (Session 4711, timeout 60; DESCRIBE with
// Content-Base uri/ and h264_sdp(); SETUP echoes the offered Transport; PLAY with RTP-Info seq 1).
std::string conformant_reply(const Request& request);
// `reply` without its header line(s) named `name` (case-insensitive).
std::string without_header(const std::string& reply, std::string_view name);

class RawRtspServer {
 public:
  // `replies`: method -> answer, replacing the default for that method.
  RawRtspServer(boost::asio::io_context& io, std::map<std::string, RawReply> replies = {});
  uint16_t port() const { return port_; }
  // rtsp://127.0.0.1:port/cameras/cam-1
  std::string url() const;

  std::vector<Request> requests;  // every request, in arrival order

 private:
  void accept();
  void serve(std::shared_ptr<boost::asio::ip::tcp::socket> socket);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::map<std::string, RawReply> replies_;
  uint16_t port_ = 0;
};

}  // namespace camleak::rtsp::testing
