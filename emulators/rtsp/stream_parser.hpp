#pragma once
// Incremental, bounded demultiplexer for one RTSP TCP connection (RFC 2326 sections 4 and 10.12).
//
// The byte stream of an RTSP connection mixes RTSP messages (requests and responses, each
// with an optional body framed by Content-Length) and interleaved binary frames
// (`'$' channel len16 payload`, RTP/RTCP over TCP). Feed whatever arrived and pull items:
//
//   StreamParser parser;
//   parser.feed(bytes);
//   for (;;) {
//     StreamItem item = parser.next();
//     if (std::holds_alternative<std::monostate>(item)) break;  // need more bytes
//     if (auto* f = std::get_if<InterleavedFrame>(&item)) { ... f->payload ... }
//     if (auto* e = std::get_if<ParseError>(&item); e && e->fatal) { close the connection }
//   }
//
// Sans-I/O: no sockets, no clock. Memory is bounded by the limits (one header block, one
// body, one interleaved frame) as long as the caller drains next() after each feed().
// Bad input never throws: garbage is skipped byte by byte until something that can start a
// message or a plausible interleaved frame (resynchronisation), and every problem is counted.
#include <bitset>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "emulators/rtsp/message.hpp"

namespace camleak::rtsp {

struct ParserLimits {
  size_t max_header_bytes = 64 * 1024;  // start line + header fields + blank line
  size_t max_body_bytes = 1024 * 1024;  // Content-Length cap (SDP bodies are ~1 KiB)
  // Interleaved frames on channels outside this set, or longer than max_interleaved_length,
  // are treated as garbage and resynchronised past, not delivered.
  std::bitset<256> allowed_channels = std::bitset<256>().set();
  size_t max_interleaved_length = 65535;
  // RTP and RTCP both carry version 2 in the first two bits; a '$' frame whose payload does
  // not is garbage that happened to contain a '$'.
  bool require_rtp_version = true;
  // A response without a numeric CSeq is reported as missing_cseq and skipped. A client that
  // matches such answers to its requests itself (as ffmpeg does) turns this off; requests
  // always need one, since the answer must echo it.
  bool require_response_cseq = true;
};

// One interleaved frame. `payload` points into the parser's buffer and stays valid until the
// next call to feed() or next().
struct InterleavedFrame {
  uint8_t channel = 0;
  std::span<const uint8_t> payload;
};

enum class ParseErrorCode {
  garbage,            // bytes that start neither a message nor a plausible frame (skipped)
  bad_start_line,     // a header block whose first line is not a request or status line
  bad_header_line,    // a header line without ':'
  missing_cseq,       // a well-framed message without a numeric CSeq (skipped; see limits)
  header_too_large,   // fatal: no end of headers within max_header_bytes
  body_too_large,     // fatal: Content-Length over max_body_bytes
  bad_content_length  // fatal: Content-Length is not a number, so the stream cannot be framed
};

std::string_view to_string(ParseErrorCode code);

struct ParseError {
  ParseErrorCode code = ParseErrorCode::garbage;
  bool fatal = false;   // the connection cannot be framed any more: close it
  std::string message;  // human readable, names the header or the byte count
};

using StreamItem = std::variant<std::monostate, Request, Response, InterleavedFrame, ParseError>;

struct ParserCounters {
  uint64_t requests = 0;
  uint64_t responses = 0;
  uint64_t interleaved_frames = 0;
  uint64_t interleaved_bytes = 0;
  uint64_t bytes_garbage = 0;      // bytes skipped while resynchronising (incl. bad blocks)
  uint64_t bogus_interleaved = 0;  // '$' headers rejected (channel, length or version)
  uint64_t bad_messages = 0;       // bad start line or header line
  uint64_t missing_cseq = 0;
  uint64_t header_too_large = 0;
  uint64_t body_too_large = 0;
  uint64_t bad_content_length = 0;
};

class StreamParser {
 public:
  explicit StreamParser(ParserLimits limits = {}) : limits_(std::move(limits)) {}

  // Appends bytes. Ignored once the parser is fatal.
  void feed(std::span<const uint8_t> bytes);
  void feed(std::string_view bytes) {
    feed(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  }

  // The next complete item, std::monostate when more bytes are needed (or after a fatal
  // error has been reported once).
  StreamItem next();

  bool fatal() const { return fatal_; }
  const ParserCounters& counters() const { return counters_; }
  ParserLimits& limits() { return limits_; }
  // Bytes held but not yet returned as items.
  size_t buffered() const { return buf_.size() - pos_; }
  // Forget buffered bytes and the fatal state (counters are kept).
  void reset();

 private:
  enum class Start { valid, invalid, undecided };
  Start classify_message_start() const;
  StreamItem parse_interleaved(bool& consumed_garbage);
  StreamItem parse_message(bool& consumed_garbage);
  StreamItem fatal_error(ParseErrorCode code, std::string message);
  std::optional<ParseError> take_garbage_report();
  void reset_scan() { scan_off_ = line_start_off_ = header_len_ = 0; }

  ParserLimits limits_;
  std::vector<uint8_t> buf_;
  size_t pos_ = 0;             // first unconsumed byte
  size_t scan_off_ = 0;        // header-end search progress, relative to pos_
  size_t line_start_off_ = 0;  // start of the current header line, relative to pos_
  size_t header_len_ = 0;      // length of the header block once its end was found
  uint64_t pending_garbage_ = 0;
  bool fatal_ = false;
  ParserCounters counters_;
};

}  // namespace camleak::rtsp
