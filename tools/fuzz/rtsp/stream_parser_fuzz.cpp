// Fuzzes the RTSP connection demultiplexer with arbitrary bytes in arbitrary chunkings, and
// every typed header/auth/SDP parser on whatever messages come out. Invariants: no crash,
// buffered bytes stay within the limits, a fatal parser stays silent.
#include <cstddef>
#include <cstdint>
#include <span>

#include "emulators/rtsp/auth.hpp"
#include "emulators/rtsp/headers.hpp"
#include "emulators/rtsp/sdp.hpp"
#include "emulators/rtsp/stream_parser.hpp"
#include "emulators/rtsp/url.hpp"

using namespace camleak::rtsp;

namespace {

void exercise(const Headers& headers, const std::string& body) {
  for (const auto& [name, value] : headers.fields()) {
    std::string error;
    parse_session(value, &error);
    if (auto t = parse_transport(value, &error)) {
      auto again = parse_transport(format_transport(*t));
      if (!again || !(*again == *t)) __builtin_trap();  // format/parse must round-trip
    }
    parse_range(value, &error);
    parse_rtp_info(value, &error);
    parse_challenge(value, &error);
    parse_digest_authorization(value, &error);
    parse_basic_authorization(value);
    parse_rtsp_url(value, &error);
    (void)name;
  }
  std::string error;
  parse_h264_sdp(body, &error);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // The first byte picks the chunk size, so one input covers many split positions.
  size_t chunk = 1 + data[0] % 64;
  std::span<const uint8_t> rest(data + 1, size - 1);
  ParserLimits limits;
  limits.max_header_bytes = 4096;  // small limits so the fuzzer reaches them
  limits.max_body_bytes = 2048;
  if (data[0] & 0x80) {
    limits.allowed_channels.reset();
    limits.allowed_channels.set(0).set(1);
  }
  StreamParser parser(limits);
  bool fatal_reported = false;
  while (!rest.empty()) {
    size_t n = std::min(chunk, rest.size());
    parser.feed(rest.first(n));
    rest = rest.subspan(n);
    for (;;) {
      StreamItem item = parser.next();
      if (std::holds_alternative<std::monostate>(item)) break;
      if (fatal_reported) __builtin_trap();  // nothing may follow a fatal error
      if (auto* r = std::get_if<Request>(&item)) {
        if (!r->cseq()) __builtin_trap();
        exercise(r->headers, r->body);
      } else if (auto* s = std::get_if<Response>(&item)) {
        if (!s->cseq()) __builtin_trap();
        exercise(s->headers, s->body);
      } else if (auto* f = std::get_if<InterleavedFrame>(&item)) {
        if (!limits.allowed_channels.test(f->channel) || f->payload.empty()) __builtin_trap();
      } else if (auto* e = std::get_if<ParseError>(&item)) {
        fatal_reported = fatal_reported || e->fatal;
      }
    }
    // Bounded memory: at most one header block + one body (or one frame) + one chunk.
    if (parser.buffered() > limits.max_header_bytes + limits.max_body_bytes + 65535 + 64)
      __builtin_trap();
  }
  return 0;
}
