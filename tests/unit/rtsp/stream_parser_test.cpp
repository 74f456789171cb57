#include "emulators/rtsp/stream_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace camleak::rtsp {
namespace {

// Interleaved payload spans die at the next call, so tests keep owned copies.
struct Frame {
  uint8_t channel = 0;
  std::string payload;
};
using Item = std::variant<Request, Response, Frame, ParseError>;

std::vector<Item> drain(StreamParser& p) {
  std::vector<Item> out;
  for (;;) {
    StreamItem item = p.next();
    if (std::holds_alternative<std::monostate>(item)) return out;
    if (auto* f = std::get_if<InterleavedFrame>(&item)) {
      out.push_back(Frame{f->channel, std::string(f->payload.begin(), f->payload.end())});
    } else if (auto* r = std::get_if<Request>(&item)) {
      out.push_back(std::move(*r));
    } else if (auto* s = std::get_if<Response>(&item)) {
      out.push_back(std::move(*s));
    } else {
      const ParseError& e = std::get<ParseError>(item);
      out.emplace_back(std::in_place_type<ParseError>, e.code, e.fatal, e.message);
    }
  }
}

// RFC 2326 section 10.2 (DESCRIBE) and 10.1 (OPTIONS), C->S and S->C, plus the interleaved
// example of section 10.12.
const std::string kOptions =
    "OPTIONS * RTSP/1.0\r\n"
    "CSeq: 1\r\n"
    "Require: implicit-play\r\n"
    "Proxy-Require: gzipped-messages\r\n"
    "\r\n";
const std::string kOptionsReply =
    "RTSP/1.0 200 OK\r\n"
    "CSeq: 1\r\n"
    "Public: DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE\r\n"
    "\r\n";
const std::string kDescribe =
    "DESCRIBE rtsp://server.example.com/fizzle/foo RTSP/1.0\r\n"
    "CSeq: 312\r\n"
    "Accept: application/sdp, application/rtsl, application/mheg\r\n"
    "\r\n";
const std::string kSdpBody =
    "v=0\r\n"
    "o=mhandley 2890844526 2890842807 IN IP4 126.16.64.4\r\n"
    "s=SDP Seminar\r\n"
    "c=IN IP4 224.2.17.12/127\r\n"
    "t=2873397496 2873404696\r\n"
    "m=audio 3456 RTP/AVP 0\r\n"
    "m=video 2232 RTP/AVP 31\r\n";
const std::string kDescribeReply =
    "RTSP/1.0 200 OK\r\n"
    "CSeq: 312\r\n"
    "Date: 23 Jan 1997 15:35:06 GMT\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: " +
    std::to_string(kSdpBody.size()) + "\r\n\r\n" + kSdpBody;
const std::string kSetupReply =
    "RTSP/1.0 200 OK\r\n"
    "CSeq: 2\r\n"
    "Date: 05 Jun 1997 18:57:19 GMT\r\n"
    "Transport: RTP/AVP/TCP;interleaved=0-1\r\n"
    "Session: 12345678\r\n"
    "\r\n";

std::string frame(uint8_t channel, const std::string& payload) {
  std::string s;
  EXPECT_TRUE(append_interleaved(s, channel, reinterpret_cast<const uint8_t*>(payload.data()),
                                 payload.size()));
  return s;
}

// An RTP-looking payload (version 2 in the first byte).
std::string rtp_payload(size_t n, char fill) {
  std::string s(n, fill);
  s[0] = static_cast<char>(0x80);
  return s;
}

TEST(StreamParser, ParsesRfcRequestAndResponseExamples) {
  StreamParser p;
  p.feed(kOptions);
  p.feed(kDescribeReply);
  auto items = drain(p);
  ASSERT_EQ(items.size(), 2u);
  const auto& req = std::get<Request>(items[0]);
  EXPECT_EQ(req.method, "OPTIONS");
  EXPECT_EQ(req.uri, "*");
  EXPECT_EQ(req.cseq(), 1u);
  EXPECT_EQ(req.headers.get("proxy-require"), "gzipped-messages");  // case-insensitive
  const auto& resp = std::get<Response>(items[1]);
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.reason, "OK");
  EXPECT_EQ(resp.cseq(), 312u);
  EXPECT_EQ(resp.headers.get("CONTENT-TYPE"), "application/sdp");
  EXPECT_EQ(resp.body, kSdpBody);
  EXPECT_EQ(p.counters().requests, 1u);
  EXPECT_EQ(p.counters().responses, 1u);
  EXPECT_EQ(p.buffered(), 0u);
}

TEST(StreamParser, PipelinedMessagesAndFramesSplitAtEveryByteBoundary) {
  std::string payload_a = rtp_payload(40, 'a');
  std::string payload_b = rtp_payload(300, 'b');
  const std::string stream = kOptions + kDescribe + frame(0, payload_a) + kDescribeReply +
                             frame(1, payload_b) + "\r\n" + kSetupReply + kOptionsReply;
  for (size_t split = 0; split <= stream.size(); ++split) {
    StreamParser p;
    std::vector<Item> items;
    p.feed(std::string_view(stream).substr(0, split));
    for (auto& i : drain(p)) items.push_back(std::move(i));
    p.feed(std::string_view(stream).substr(split));
    for (auto& i : drain(p)) items.push_back(std::move(i));
    ASSERT_EQ(items.size(), 7u) << "split at " << split;
    EXPECT_EQ(std::get<Request>(items[0]).method, "OPTIONS");
    EXPECT_EQ(std::get<Request>(items[1]).uri, "rtsp://server.example.com/fizzle/foo");
    auto& fa = std::get<Frame>(items[2]);
    EXPECT_EQ(fa.channel, 0);
    EXPECT_EQ(fa.payload, payload_a);
    EXPECT_EQ(std::get<Response>(items[3]).body, kSdpBody);
    auto& fb = std::get<Frame>(items[4]);
    EXPECT_EQ(fb.channel, 1);
    EXPECT_EQ(fb.payload.size(), payload_b.size());
    EXPECT_EQ(std::get<Response>(items[5]).headers.get("Session"), "12345678");
    EXPECT_EQ(std::get<Response>(items[6]).headers.get("Public"),
              "DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE");
    EXPECT_EQ(p.counters().bytes_garbage, 0u) << "split at " << split;
  }
}

TEST(StreamParser, ByteAtATimeFeedsGiveTheSameItems) {
  const std::string stream = kDescribe + frame(0, rtp_payload(10, 'x')) + kDescribeReply;
  StreamParser p;
  std::vector<Item> items;
  for (char c : stream) {
    p.feed(std::string_view(&c, 1));
    for (auto& i : drain(p)) items.push_back(std::move(i));
  }
  ASSERT_EQ(items.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<Request>(items[0]));
  EXPECT_TRUE(std::holds_alternative<Frame>(items[1]));
  EXPECT_EQ(std::get<Response>(items[2]).body, kSdpBody);
}

TEST(StreamParser, FoldedHeaderAndBareLineFeeds) {
  StreamParser p;
  p.feed(
      "SETUP rtsp://h/a RTSP/1.0\nCSeq: 7\nTransport: RTP/AVP;unicast;\n "
      "client_port=4588-4589\n\n");
  auto items = drain(p);
  ASSERT_EQ(items.size(), 1u);
  const auto& r = std::get<Request>(items[0]);
  EXPECT_EQ(r.cseq(), 7u);
  EXPECT_EQ(r.headers.get("Transport"), "RTP/AVP;unicast; client_port=4588-4589");
}

TEST(StreamParser, GarbageIsSkippedCountedAndResynchronised) {
  StreamParser p;
  std::string garbage = "\x01\x02zz\xff\x7f hello";
  p.feed(garbage + kOptionsReply);
  auto items = drain(p);
  ASSERT_EQ(items.size(), 2u);
  const auto& e = std::get<ParseError>(items[0]);
  EXPECT_EQ(e.code, ParseErrorCode::garbage);
  EXPECT_FALSE(e.fatal);
  EXPECT_EQ(std::get<Response>(items[1]).cseq(), 1u);
  EXPECT_EQ(p.counters().bytes_garbage, garbage.size());
}

TEST(StreamParser, BadStartLineIsSkippedAsAWholeBlock) {
  StreamParser p;
  p.feed("HELLO there\r\nCSeq: 1\r\n\r\n" + kOptions);
  auto items = drain(p);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(std::get<ParseError>(items[0]).code, ParseErrorCode::bad_start_line);
  EXPECT_EQ(std::get<Request>(items[1]).method, "OPTIONS");
  EXPECT_EQ(p.counters().bad_messages, 1u);
}

TEST(StreamParser, MissingCSeqIsAnErrorAndTheStreamContinues) {
  StreamParser p;
  p.feed("OPTIONS * RTSP/1.0\r\nUser-Agent: x\r\n\r\n" +
         std::string("RTSP/1.0 200 OK\r\nCSeq: abc\r\n\r\n") + kOptionsReply);
  auto items = drain(p);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(std::get<ParseError>(items[0]).code, ParseErrorCode::missing_cseq);
  EXPECT_EQ(std::get<ParseError>(items[1]).code, ParseErrorCode::missing_cseq);
  EXPECT_TRUE(std::holds_alternative<Response>(items[2]));
  EXPECT_EQ(p.counters().missing_cseq, 2u);
}

// A client that pairs answers with its requests itself (as ffmpeg does) takes responses without
// a usable CSeq; a request still needs one, since its answer must echo it.
TEST(StreamParser, ResponsesWithoutCSeqPassWhenTheClientMatchesThemItself) {
  StreamParser p;
  p.limits().require_response_cseq = false;
  p.feed("RTSP/1.0 200 OK\r\nSession: 1\r\n\r\n" +
         std::string("RTSP/1.0 200 OK\r\nCSeq: abc\r\n\r\n") +
         "OPTIONS * RTSP/1.0\r\nUser-Agent: x\r\n\r\n");
  auto items = drain(p);
  ASSERT_EQ(items.size(), 3u);
  ASSERT_TRUE(std::holds_alternative<Response>(items[0]));
  EXPECT_FALSE(std::get<Response>(items[0]).cseq());
  EXPECT_EQ(std::get<Response>(items[0]).headers.get("Session"), "1");
  ASSERT_TRUE(std::holds_alternative<Response>(items[1]));
  EXPECT_FALSE(std::get<Response>(items[1]).cseq());
  EXPECT_EQ(std::get<ParseError>(items[2]).code, ParseErrorCode::missing_cseq);
  EXPECT_EQ(p.counters().missing_cseq, 1u);
  EXPECT_EQ(p.counters().responses, 2u);
}

TEST(StreamParser, HeadersOver64KiBAreFatalAndMemoryStaysBounded) {
  StreamParser p;
  p.feed("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n");
  std::string filler = "X-Filler: " + std::string(1000, 'f') + "\r\n";
  bool fatal_seen = false;
  for (int i = 0; i < 200 && !fatal_seen; ++i) {
    p.feed(filler);
    for (auto& item : drain(p)) {
      auto* e = std::get_if<ParseError>(&item);
      ASSERT_NE(e, nullptr);
      EXPECT_EQ(e->code, ParseErrorCode::header_too_large);
      EXPECT_TRUE(e->fatal);
      fatal_seen = true;
    }
    EXPECT_LE(p.buffered(), 64u * 1024 + filler.size());
  }
  EXPECT_TRUE(fatal_seen);
  EXPECT_TRUE(p.fatal());
  EXPECT_EQ(p.counters().header_too_large, 1u);
  p.feed(kOptions);  // ignored once fatal
  EXPECT_TRUE(drain(p).empty());
  EXPECT_EQ(p.buffered(), 0u);
}

TEST(StreamParser, OversizeAndUnparseableContentLengthAreFatal) {
  {
    StreamParser p;
    p.feed("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 99999999999\r\n\r\n");
    auto items = drain(p);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(std::get<ParseError>(items[0]).code, ParseErrorCode::body_too_large);
  }
  {
    StreamParser p;
    p.feed("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: -5\r\n\r\n");
    auto items = drain(p);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(std::get<ParseError>(items[0]).code, ParseErrorCode::bad_content_length);
    EXPECT_TRUE(p.fatal());
  }
}

TEST(StreamParser, BogusInterleavedHeadersAreResynchronisedPast) {
  ParserLimits limits;
  limits.allowed_channels.reset();
  limits.allowed_channels.set(0).set(1);
  StreamParser p(limits);
  // '$' on channel 9 (not allowed), '$' with a zero length, '$' whose payload is not RTP v2:
  // each is garbage, then a real frame and a real response follow.
  std::string bogus = std::string("$\x09\x00\x10", 4) + std::string("$\x00\x00\x00", 4) +
                      std::string("$\x00\x00\x02\x41\x41", 6);
  std::string good = frame(1, rtp_payload(20, 'r'));
  p.feed(bogus + good + kOptionsReply);
  auto items = drain(p);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(std::get<ParseError>(items[0]).code, ParseErrorCode::garbage);
  EXPECT_EQ(std::get<Frame>(items[1]).payload.size(), 20u);
  EXPECT_TRUE(std::holds_alternative<Response>(items[2]));
  EXPECT_EQ(p.counters().bogus_interleaved, 3u);
  EXPECT_EQ(p.counters().bytes_garbage, bogus.size());
  EXPECT_FALSE(p.fatal());
}

TEST(StreamParser, InterleavedWriterRejectsOversizePayloads) {
  std::string out;
  std::vector<uint8_t> big(65536, 0x80);
  EXPECT_FALSE(append_interleaved(out, 0, big.data(), big.size()));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(append_interleaved(out, 3, big.data(), 65535));
  EXPECT_EQ(out.size(), 65539u);
  StreamParser p;
  p.feed(out);
  auto items = drain(p);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(std::get<Frame>(items[0]).channel, 3);
  EXPECT_EQ(std::get<Frame>(items[0]).payload.size(), 65535u);
}

TEST(StreamParser, WriterOutputParsesBackToTheSameMessage) {
  Request r;
  r.method = "ANNOUNCE";
  r.uri = "rtsp://127.0.0.1:8554/cameras/cam-1";
  r.headers.set("CSeq", "3");
  r.headers.set("Content-Type", "application/sdp");
  r.headers.set("Content-Length", "999");  // stale: the writer recomputes it
  r.body = kSdpBody;
  Response s;
  s.status = 401;
  s.reason = "";
  s.headers.set("CSeq", "3");
  s.headers.add("WWW-Authenticate", "Basic realm=\"camleak\"");
  s.headers.add("WWW-Authenticate", "Digest realm=\"camleak\", nonce=\"n\"");
  StreamParser p;
  p.feed(to_string(r) + to_string(s));
  auto items = drain(p);
  ASSERT_EQ(items.size(), 2u);
  const auto& r2 = std::get<Request>(items[0]);
  EXPECT_EQ(r2.method, r.method);
  EXPECT_EQ(r2.uri, r.uri);
  EXPECT_EQ(r2.body, r.body);
  EXPECT_EQ(r2.headers.get("Content-Length"), std::to_string(kSdpBody.size()));
  const auto& s2 = std::get<Response>(items[1]);
  EXPECT_EQ(s2.status, 401);
  EXPECT_EQ(s2.reason, "Unauthorized");
  EXPECT_EQ(s2.headers.get_all("www-authenticate").size(), 2u);
}

}  // namespace
}  // namespace camleak::rtsp
