#pragma once
// Typed views of the RTSP header fields camleak speaks (RFC 2326 section 12): parse from the
// field value, format back to it. Parsers return nullopt (and an error naming the field) on
// malformed values instead of throwing: the values come from the network.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace camleak::rtsp {

// Session: 12345678;timeout=60  (section 12.37)
struct SessionHeader {
  std::string id;
  std::optional<uint32_t> timeout_seconds;  // server's idle timeout; RFC default 60 s
};
std::optional<SessionHeader> parse_session(std::string_view value, std::string* error = nullptr);
std::string format_session(const SessionHeader& session);

// Transport (section 12.39), one transport spec. camleak uses two shapes:
//   RTP/AVP/TCP;unicast;interleaved=0-1;mode=record
//   RTP/AVP;unicast;client_port=5000-5001;server_port=6000-6001;mode=play
struct PortPair {
  uint16_t first = 0;
  uint16_t second = 0;  // equals first+1 by convention; a single port "a" gives a-a+1
  bool operator==(const PortPair&) const = default;
};
enum class LowerTransport { udp, tcp };
enum class TransportMode { play, record };
struct TransportHeader {
  std::string protocol = "RTP/AVP";  // the transport/profile part, without /TCP or /UDP
  LowerTransport lower = LowerTransport::udp;
  bool unicast = true;
  std::optional<PortPair> interleaved;
  std::optional<PortPair> client_port;
  std::optional<PortPair> server_port;
  std::optional<uint32_t> ssrc;  // ssrc=hex
  std::optional<TransportMode> mode;
  std::string destination;  // destination=addr, when given
  std::string source;       // source=addr, when given
  bool operator==(const TransportHeader&) const = default;
};
// Parses the first transport spec of a (possibly comma-separated) list.
std::optional<TransportHeader> parse_transport(std::string_view value,
                                               std::string* error = nullptr);
// Parses every spec of a comma-separated list (a client may offer several); bad specs are skipped.
std::vector<TransportHeader> parse_transport_list(std::string_view value);
std::string format_transport(const TransportHeader& transport);

// Range: npt=0.000-  or npt=10-15 (section 12.29, NPT only; other units are kept as text).
struct RangeHeader {
  std::string unit = "npt";
  std::optional<double> start;  // nullopt for "now" or empty
  std::optional<double> end;
};
std::optional<RangeHeader> parse_range(std::string_view value, std::string* error = nullptr);
std::string format_range(const RangeHeader& range);

// RTP-Info: url=rtsp://h/p/trackID=0;seq=45102;rtptime=12345678[, url=...]  (section 12.33)
struct RtpInfoEntry {
  std::string url;
  std::optional<uint16_t> seq;
  std::optional<uint32_t> rtptime;
  bool operator==(const RtpInfoEntry&) const = default;
};
std::optional<std::vector<RtpInfoEntry>> parse_rtp_info(std::string_view value,
                                                        std::string* error = nullptr);
std::string format_rtp_info(const std::vector<RtpInfoEntry>& entries);

// Public: OPTIONS, DESCRIBE, SETUP  (section 12.28)
std::vector<std::string> parse_public(std::string_view value);
std::string format_public(const std::vector<std::string>& methods);
bool public_has(std::string_view value, std::string_view method);

// Content-Type without parameters, lower-cased ("application/sdp").
std::string media_type(std::string_view content_type);

}  // namespace camleak::rtsp
