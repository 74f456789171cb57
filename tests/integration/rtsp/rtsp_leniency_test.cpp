// RtspClient against servers that bend RFC 2326 the way real relays and cameras do: the client
// accepts what ffmpeg, GStreamer and live555 accept, and notes every such deviation in its
// Conformance tally instead of failing. What would make identity checks unsound is refused.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "emulators/rtsp/conformance.hpp"
#include "emulators/rtsp/rtsp_client.hpp"
#include "tests/integration/rtsp/raw_rtsp_server.hpp"

namespace camleak::rtsp {
namespace {

using namespace std::chrono_literals;
using testing::conformant_reply;
using testing::cseq_line;
using testing::describe_reply;
using testing::h264_sdp;
using testing::raw_reply;
using testing::RawRtspServer;
using testing::without_header;

// Runs the io_context until `done` holds; false after the deadline (no sleeps).
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds deadline = 10s) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    io.run_one_for(20ms);
  }
  return true;
}

// One publish or play flow of a client with a tally, against `server`.
struct Flow {
  std::shared_ptr<Conformance> tally = std::make_shared<Conformance>();
  std::shared_ptr<RtspClient> client;
  bool done = false;
  ClientError error;
  SessionInfo info;

  void start(boost::asio::io_context& io, const RawRtspServer& server, bool publish,
             RtspClientOptions options = {}) {
    options.url = server.url();
    options.user = "alice";
    options.password = "tok";
    options.conformance = tally;
    client = RtspClient::create(io, options);
    auto handler = [this](const ClientError& e, const SessionInfo& i) {
      done = true;
      error = e;
      info = i;
    };
    if (publish)
      client->publish(h264_sdp(), handler);
    else
      client->play(handler);
  }

  // Starts the flow and runs `io` until the client answers it: success only when it did so
  // within the deadline and without an error (the error's description otherwise).
  ::testing::AssertionResult succeeds(boost::asio::io_context& io, const RawRtspServer& server,
                                      bool publish, RtspClientOptions options = {}) {
    start(io, server, publish, std::move(options));
    if (!run_until(io, [this] { return done; }))
      return ::testing::AssertionFailure() << "the flow did not finish in time";
    if (error) return ::testing::AssertionFailure() << error.describe();
    return ::testing::AssertionSuccess();
  }

  // Whether the tally holds exactly one note and it reads `text` (the notes it holds if not).
  ::testing::AssertionResult only_note_is(std::string_view text) const {
    const auto notes = tally->notes();
    if (notes.size() == 1 && notes[0].text == text) return ::testing::AssertionSuccess();
    auto failure = ::testing::AssertionFailure() << notes.size() << " note(s):";
    for (const auto& note : notes) failure << "\n  " << note.text;
    return failure;
  }
};

const Request* find_request(const RawRtspServer& server, std::string_view method) {
  for (const auto& r : server.requests) {
    if (r.method == method) return &r;
  }
  return nullptr;
}

std::string setup_reply_without_session(const Request& r) {
  return without_header(conformant_reply(r), "Session");
}

TEST(RtspLeniency, SessionGivenInAnnounceReplyIsReusedWhenSetupOmitsIt) {
  boost::asio::io_context io;
  RawRtspServer server(
      io, {{"ANNOUNCE",
            [](const Request& r) {
              return raw_reply("200 OK", {cseq_line(r), "Session: 9876;timeout=30"});
            }},
           {"SETUP", setup_reply_without_session},
           {"RECORD", [](const Request& r) { return raw_reply("200 OK", {cseq_line(r)}); }}});
  Flow flow;
  ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/true));
  EXPECT_EQ(flow.client->state(), RtspClient::State::streaming);
  EXPECT_EQ(flow.info.session.id, "9876");
  EXPECT_EQ(flow.info.session.timeout_seconds, 30u);
  // Like ffmpeg, the session is sent from the first answer that gave it on.
  ASSERT_NE(find_request(server, "SETUP"), nullptr);
  EXPECT_EQ(find_request(server, "SETUP")->headers.get("Session"), "9876");
  ASSERT_NE(find_request(server, "RECORD"), nullptr);
  EXPECT_EQ(find_request(server, "RECORD")->headers.get("Session"), "9876");
  const std::vector<ConformanceNote> expected{
      {"SETUP reply without Session header (RFC 2326 12.37); reused the session from ANNOUNCE", 1,
       "SETUP " + server.url() + "/trackID=0"}};
  EXPECT_EQ(flow.tally->notes(), expected);
}

TEST(RtspLeniency, SessionGivenInDescribeReplyIsReusedWhenSetupOmitsIt) {
  boost::asio::io_context io;
  RawRtspServer server(io, {{"DESCRIBE",
                             [](const Request& r) {
                               return describe_reply(r, "application/sdp", h264_sdp(),
                                                     {"Session: ab12"});
                             }},
                            {"SETUP", setup_reply_without_session}});
  Flow flow;
  ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/false));
  EXPECT_EQ(flow.info.session.id, "ab12");
  EXPECT_EQ(find_request(server, "PLAY")->headers.get("Session"), "ab12");
  ASSERT_TRUE(flow.only_note_is(
      "SETUP reply without Session header (RFC 2326 12.37); reused the session from "
      "DESCRIBE"));
}

TEST(RtspLeniency, WithoutAnySessionThePlayGoesOnWithoutOne) {
  boost::asio::io_context io;
  RawRtspServer server(
      io,
      {{"SETUP", setup_reply_without_session},
       {"PLAY", [](const Request& r) { return without_header(conformant_reply(r), "Session"); }}});
  Flow flow;
  ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/false));
  EXPECT_EQ(flow.info.session.id, "");
  ASSERT_NE(find_request(server, "PLAY"), nullptr);
  EXPECT_FALSE(find_request(server, "PLAY")->headers.has("Session"));
  const std::vector<ConformanceNote> expected{
      {"SETUP reply without Session header (RFC 2326 12.37) and no session before; went on "
       "without one",
       1, "SETUP " + server.url() + "/trackID=0"}};
  EXPECT_EQ(flow.tally->notes(), expected);
}

TEST(RtspLeniency, SessionTimeoutIsReadWithSpacesAndAnUnreadableOneIsDropped) {
  auto setup_with = [](std::string session) {
    return [session](const Request& r) {
      return raw_reply("200 OK",
                       {cseq_line(r), "Transport: " + std::string(r.headers.get("Transport")),
                        "Session: " + session});
    };
  };
  {
    boost::asio::io_context io;
    RawRtspServer server(io, {{"SETUP", setup_with("4711 ; Timeout = 20")}});
    Flow flow;
    ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/false));
    EXPECT_EQ(flow.info.session.id, "4711");
    EXPECT_EQ(flow.info.session.timeout_seconds, 20u);
    EXPECT_TRUE(flow.tally->notes().empty());  // spaces and case are allowed: no deviation
  }
  {
    boost::asio::io_context io;
    RawRtspServer server(io, {{"SETUP", setup_with("4711;timeout=soon")}});
    Flow flow;
    ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/false));
    EXPECT_EQ(flow.info.session.id, "4711");
    EXPECT_FALSE(flow.info.session.timeout_seconds);
    EXPECT_EQ(find_request(server, "PLAY")->headers.get("Session"), "4711");
    ASSERT_TRUE(flow.only_note_is(
        "malformed Session header (RFC 2326 12.37); used the text before ';' as the id"));
  }
}

TEST(RtspLeniency, AnswersWithoutCSeqAnswerTheRequestThatWaits) {
  boost::asio::io_context io;
  auto no_cseq = [](const Request& r) { return without_header(conformant_reply(r), "CSeq"); };
  RawRtspServer server(
      io, {{"OPTIONS", no_cseq}, {"DESCRIBE", no_cseq}, {"SETUP", no_cseq}, {"PLAY", no_cseq}});
  Flow flow;
  ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/false));
  EXPECT_EQ(flow.info.session.id, "4711");
  ASSERT_EQ(flow.info.rtp_info.size(), 1u);
  EXPECT_EQ(flow.client->counters().unmatched_responses, 0u);
  const auto notes = flow.tally->notes();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].text,
            "response without a numeric CSeq (RFC 2326 12.17); taken as the answer to the oldest "
            "outstanding request");
  EXPECT_EQ(notes[0].count, 4u);  // OPTIONS, DESCRIBE, SETUP, PLAY
  EXPECT_EQ(notes[0].example, "OPTIONS " + server.url());
}

TEST(RtspLeniency, AnswersWithAForeignCSeqAnswerTheRequestThatWaits) {
  boost::asio::io_context io;
  // A server that numbers its answers itself: always "CSeq: 1".
  auto cseq_one = [](const Request& r) {
    return without_header(conformant_reply(r), "CSeq")
        .insert(sizeof("RTSP/1.0 200 OK\r\n") - 1, "CSeq: 1\r\n");
  };
  RawRtspServer server(
      io, {{"OPTIONS", cseq_one}, {"DESCRIBE", cseq_one}, {"SETUP", cseq_one}, {"PLAY", cseq_one}});
  Flow flow;
  ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/false));
  const auto notes = flow.tally->notes();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].text,
            "response whose CSeq matches no request (RFC 2326 12.17); taken as the answer to the "
            "oldest outstanding request");
  EXPECT_EQ(notes[0].count, 3u);  // the OPTIONS answer (CSeq 1) matched its request
  EXPECT_EQ(notes[0].example, "DESCRIBE " + server.url());
}

TEST(RtspLeniency, ALateAnswerToATimedOutRequestIsNotTakenForANewerOne) {
  boost::asio::io_context io;
  std::string first_cseq;
  RawRtspServer server(io, {{"GET_PARAMETER", [&](const Request& r) -> std::string {
                               if (first_cseq.empty()) {
                                 first_cseq = std::string(r.headers.get("CSeq"));
                                 return {};  // the first one times out
                               }
                               return raw_reply("200 OK",
                                                {"CSeq: " + first_cseq, "X-Answer: late"}) +
                                      raw_reply("200 OK", {cseq_line(r), "X-Answer: second"});
                             }}});
  Flow flow;
  RtspClientOptions options;
  options.request_timeout = 300ms;
  ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/true, options));

  auto ask = [&](ClientError& error, std::string& answer, bool& done) {
    Request r;
    r.method = "GET_PARAMETER";
    r.uri = server.url();
    flow.client->request(r, [&](const ClientError& e, const Response& resp) {
      error = e;
      answer = std::string(resp.headers.get("X-Answer"));
      done = true;
    });
  };
  ClientError first_error, second_error;
  std::string first_answer, second_answer;
  bool first_done = false, second_done = false;
  ask(first_error, first_answer, first_done);
  ASSERT_TRUE(run_until(io, [&] { return first_done; }));
  EXPECT_EQ(first_error.kind, ClientErrorKind::timeout) << first_error.describe();
  ask(second_error, second_answer, second_done);
  ASSERT_TRUE(run_until(io, [&] { return second_done; }));
  ASSERT_FALSE(second_error) << second_error.describe();
  EXPECT_EQ(second_answer, "second");
  EXPECT_EQ(flow.client->counters().unmatched_responses, 1u);
  EXPECT_TRUE(flow.tally->notes().empty());
}

// Header names are case-insensitive (RFC 2326 4.2 via RFC 2616): not a deviation at all.
TEST(RtspLeniency, LowerCaseHeaderNamesAreUnderstood) {
  auto lower_names = [](const Request& r) {
    std::string reply = conformant_reply(r);
    const size_t body = reply.find("\r\n\r\n");
    for (size_t line = reply.find("\r\n"); line < body; line = reply.find("\r\n", line + 2)) {
      for (size_t i = line + 2; i < reply.size() && reply[i] != ':'; ++i)
        reply[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(reply[i])));
    }
    return reply;
  };
  for (bool publish : {false, true}) {
    boost::asio::io_context io;
    std::map<std::string, testing::RawReply> replies;
    for (const char* m : {"OPTIONS", "DESCRIBE", "ANNOUNCE", "SETUP", "PLAY", "RECORD"})
      replies[m] = lower_names;
    RawRtspServer server(io, replies);
    ASSERT_NE(lower_names(Request{.method = "PLAY", .uri = "rtsp://h/p", .headers = {}, .body = {}})
                  .find("rtp-info: url="),
              std::string::npos);
    Flow flow;
    ASSERT_TRUE(flow.succeeds(io, server, publish));
    EXPECT_EQ(flow.info.session.id, "4711");
    EXPECT_EQ(flow.info.session.timeout_seconds, 60u);
    EXPECT_EQ(flow.info.control_url, server.url() + "/trackID=0");
    if (!publish) {
      ASSERT_EQ(flow.info.rtp_info.size(), 1u);
      EXPECT_EQ(flow.info.rtp_info[0].seq, 1u);
    }
    EXPECT_EQ(flow.client->counters().unmatched_responses, 0u);
    EXPECT_TRUE(flow.tally->notes().empty()) << flow.tally->notes()[0].text;
  }
}

TEST(RtspLeniency, TransportWithoutInterleavedKeepsTheRequestedChannels) {
  boost::asio::io_context io;
  const std::vector<uint8_t> rtp{0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0x65, 0x88, 0x84};
  RawRtspServer server(
      io, {{"SETUP",
            [](const Request& r) {
              return raw_reply("200 OK", {cseq_line(r), "Transport: RTP/AVP/TCP;unicast;mode=play",
                                          "Session: 4711"});
            }},
           {"PLAY",
            [&](const Request& r) { return conformant_reply(r) + testing::interleaved(0, rtp); }}});
  Flow flow;
  std::vector<std::vector<uint8_t>> received;
  flow.start(io, server, false);
  flow.client->on_rtp(
      [&](std::span<const uint8_t> p) { received.emplace_back(p.begin(), p.end()); });
  ASSERT_TRUE(run_until(io, [&] { return flow.done && !received.empty(); }));
  ASSERT_FALSE(flow.error) << flow.error.describe();
  EXPECT_FALSE(flow.info.transport.interleaved);
  EXPECT_EQ(received[0], rtp);
  ASSERT_TRUE(flow.only_note_is(
      "SETUP reply Transport without interleaved= (RFC 2326 12.39); assumed the requested "
      "channels"));
}

TEST(RtspLeniency, DescribeWithoutContentBaseResolvesAgainstTheRequestUrl) {
  boost::asio::io_context io;
  RawRtspServer server(io, {{"DESCRIBE", [](const Request& r) {
                               return without_header(conformant_reply(r), "Content-Base");
                             }}});
  Flow flow;
  ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/false));
  ASSERT_NE(find_request(server, "SETUP"), nullptr);
  EXPECT_EQ(find_request(server, "SETUP")->uri, server.url() + "/trackID=0");
  const std::vector<ConformanceNote> expected{
      {"DESCRIBE reply without Content-Base or Content-Location (RFC 2326 C.1.1); resolved "
       "a=control against the request URL",
       1, "DESCRIBE " + server.url()}};
  EXPECT_EQ(flow.tally->notes(), expected);
}

TEST(RtspLeniency, SdpWithoutControlSetsUpTheBaseUrl) {
  boost::asio::io_context io;
  RawRtspServer server(io, {{"DESCRIBE", [](const Request& r) {
                               return describe_reply(r, "application/sdp", h264_sdp(""));
                             }}});
  Flow flow;
  ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/false));
  EXPECT_EQ(find_request(server, "SETUP")->uri, server.url() + "/");
  ASSERT_TRUE(
      flow.only_note_is("SDP media without a=control (RFC 2326 C.1.1); set up the base URL"));
}

TEST(RtspLeniency, PlayWithoutUsableRtpInfoStillPlays) {
  for (const std::string rtp_info : {"", "RTP-Info: seq=1;rtptime=0"}) {
    boost::asio::io_context io;
    RawRtspServer server(io, {{"PLAY", [rtp_info](const Request& r) {
                                 std::vector<std::string> lines{cseq_line(r), "Session: 4711"};
                                 if (!rtp_info.empty()) lines.push_back(rtp_info);
                                 return raw_reply("200 OK", lines);
                               }}});
    Flow flow;
    ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/false));
    EXPECT_TRUE(flow.info.rtp_info.empty());
    const std::vector<ConformanceNote> expected{
        {rtp_info.empty() ? "PLAY reply without RTP-Info (RFC 2326 12.33); started at the first "
                            "RTP packet"
                          : "PLAY reply with an unreadable RTP-Info (RFC 2326 12.33); started at "
                            "the first RTP packet",
         1, "PLAY " + server.url()}};
    EXPECT_EQ(flow.tally->notes(), expected);
  }
}

TEST(RtspLeniency, DescribeWithAnotherContentTypeIsReadAsSdp) {
  boost::asio::io_context io;
  RawRtspServer server(
      io,
      {{"DESCRIBE", [](const Request& r) { return describe_reply(r, "text/plain", h264_sdp()); }}});
  Flow flow;
  ASSERT_TRUE(flow.succeeds(io, server, /*publish=*/false));
  EXPECT_EQ(flow.info.track.sps, (std::vector<uint8_t>{0x67, 0x42, 0xc0, 0x1f, 0xda}));
  ASSERT_TRUE(flow.only_note_is(
      "DESCRIBE reply Content-Type is not application/sdp (RFC 2326 C.1); parsed the body "
      "as SDP"));
}

// Without an H.264 track there is nothing whose identity could be checked: that stays a failure.
TEST(RtspLeniency, ADescribeWithoutH264IsRefused) {
  boost::asio::io_context io;
  RawRtspServer server(io, {{"DESCRIBE", [](const Request& r) {
                               return raw_reply("200 OK",
                                                {cseq_line(r), "Content-Type: application/sdp"},
                                                "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 "
                                                "0\r\nm=audio 0 RTP/AVP 0\r\na=rtpmap:0 "
                                                "PCMU/8000\r\n");
                             }}});
  Flow flow;
  flow.start(io, server, false);
  ASSERT_TRUE(run_until(io, [&] { return flow.done; }));
  EXPECT_EQ(flow.error.kind, ClientErrorKind::protocol) << flow.error.describe();
  EXPECT_EQ(flow.client->state(), RtspClient::State::closed);
  EXPECT_EQ(find_request(server, "SETUP"), nullptr);
  EXPECT_TRUE(flow.tally->notes().empty());
}

}  // namespace
}  // namespace camleak::rtsp
