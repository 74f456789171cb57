#include "emulators/rtsp/headers.hpp"

#include <gtest/gtest.h>

#include "emulators/rtsp/message.hpp"
#include "emulators/rtsp/url.hpp"

namespace camleak::rtsp {
namespace {

// Every status the relay answers has its reason phrase on the wire, not "Unknown" (431 is the
// relay's answer to a header flood).
TEST(ReasonPhrase, NamesTheStatusesTheRelayAnswers) {
  EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(reason_phrase(413), "Request Entity Too Large");
  EXPECT_EQ(reason_phrase(461), "Unsupported transport");
  EXPECT_EQ(reason_phrase(299), "Unknown");
}

// A single digit above `max` used to pass: `max - d` wrapped around (packetization-mode=7 was
// read as 7 with a limit of 2).
TEST(Decimal, RespectsItsLimitForEveryDigit) {
  EXPECT_EQ(parse_decimal("2", 2), 2u);
  EXPECT_FALSE(parse_decimal("7", 2));
  EXPECT_FALSE(parse_decimal("3", 2));
  EXPECT_EQ(parse_decimal("127", 127), 127u);
  EXPECT_FALSE(parse_decimal("128", 127));
  EXPECT_FALSE(parse_decimal("1280", 127));
  EXPECT_EQ(parse_decimal("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_decimal("18446744073709551616"));
  EXPECT_FALSE(parse_decimal(""));
  EXPECT_FALSE(parse_decimal("1a"));
}

TEST(Session, ParsesIdAndTimeout) {
  auto s = parse_session("47112344;timeout=60");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->id, "47112344");
  EXPECT_EQ(s->timeout_seconds, 60u);
  EXPECT_EQ(format_session(*s), "47112344;timeout=60");
  auto plain = parse_session(" 12345678 ");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->id, "12345678");
  EXPECT_FALSE(plain->timeout_seconds);
}

TEST(Session, RejectsBadValuesNamingTheField) {
  std::string error;
  EXPECT_FALSE(parse_session("", &error));
  EXPECT_NE(error.find("Session"), std::string::npos);
  EXPECT_FALSE(parse_session("abc;timeout=soon", &error));
  EXPECT_NE(error.find("timeout"), std::string::npos);
  EXPECT_FALSE(parse_session("a b", &error));
}

TEST(Transport, ParsesTcpInterleavedRecord) {
  auto t = parse_transport("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->protocol, "RTP/AVP");
  EXPECT_EQ(t->lower, LowerTransport::tcp);
  EXPECT_TRUE(t->unicast);
  EXPECT_EQ(t->interleaved, (PortPair{0, 1}));
  EXPECT_EQ(t->mode, TransportMode::record);
  EXPECT_EQ(format_transport(*t), "RTP/AVP/TCP;unicast;interleaved=0-1;mode=record");
}

TEST(Transport, ParsesUdpPortsSsrcAndQuotedMode) {
  auto t = parse_transport(
      "RTP/AVP;unicast;client_port=4588-4589;server_port=6256-6257;ssrc=0000ABCD;mode=\"PLAY\"");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->lower, LowerTransport::udp);
  EXPECT_EQ(t->client_port, (PortPair{4588, 4589}));
  EXPECT_EQ(t->server_port, (PortPair{6256, 6257}));
  EXPECT_EQ(t->ssrc, 0xABCDu);
  EXPECT_EQ(t->mode, TransportMode::play);
  auto again = parse_transport(format_transport(*t));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *t);
}

TEST(Transport, FirstOfAListAndSinglePorts) {
  auto t = parse_transport(
      "RTP/AVP;multicast;ttl=127;mode=\"PLAY\",RTP/AVP;unicast;client_port=3456-3457");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->unicast);
  auto list = parse_transport_list("RTP/AVP;multicast, RTP/AVP;unicast;client_port=3456, bogus");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].client_port, (PortPair{3456, 3457}));
}

TEST(Transport, RejectsBadValuesNamingTheParameter) {
  std::string error;
  EXPECT_FALSE(parse_transport("RTP/AVP/SCTP", &error));
  EXPECT_NE(error.find("SCTP"), std::string::npos);
  EXPECT_FALSE(parse_transport("RTP/AVP/TCP;interleaved=0-300", &error));
  EXPECT_NE(error.find("interleaved"), std::string::npos);
  EXPECT_FALSE(parse_transport("RTP/AVP;client_port=70000-70001", &error));
  EXPECT_NE(error.find("client_port"), std::string::npos);
  EXPECT_FALSE(parse_transport("RTP/AVP;mode=fly", &error));
  EXPECT_FALSE(parse_transport("RTP", &error));
  EXPECT_FALSE(parse_transport(";;", &error));  // found by fuzz_rtsp_stream_parser
  EXPECT_FALSE(parse_transport(" ; ,RTP/AVP", &error));
  EXPECT_TRUE(parse_transport_list(";, RTP/AVP;unicast").size() == 1);
}

TEST(Range, NptForms) {
  auto r = parse_range("npt=10-15");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->start, 10.0);
  EXPECT_EQ(r->end, 15.0);
  auto open = parse_range("npt=0.000-");
  ASSERT_TRUE(open);
  EXPECT_EQ(open->start, 0.0);
  EXPECT_FALSE(open->end);
  EXPECT_EQ(format_range(*open), "npt=0.000-");
  auto now = parse_range("npt=now-");
  ASSERT_TRUE(now);
  EXPECT_FALSE(now->start);
  EXPECT_FALSE(parse_range("npt=abc-"));
  EXPECT_FALSE(parse_range("npt"));
}

TEST(RtpInfo, RoundTrip) {
  auto e = parse_rtp_info(
      "url=rtsp://foo.com/bar.avi/streamid=0;seq=45102,url=rtsp://foo.com/bar.avi/"
      "streamid=1;seq=30211;rtptime=2873");
  ASSERT_TRUE(e);
  ASSERT_EQ(e->size(), 2u);
  EXPECT_EQ((*e)[0].url, "rtsp://foo.com/bar.avi/streamid=0");
  EXPECT_EQ((*e)[0].seq, 45102);
  EXPECT_FALSE((*e)[0].rtptime);
  EXPECT_EQ((*e)[1].rtptime, 2873u);
  auto again = parse_rtp_info(format_rtp_info(*e));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *e);
  EXPECT_FALSE(parse_rtp_info("seq=1"));
  EXPECT_FALSE(parse_rtp_info("url=x;seq=70000"));
}

TEST(Public, ListAndMembership) {
  EXPECT_EQ(parse_public("DESCRIBE, SETUP,TEARDOWN").size(), 3u);
  EXPECT_TRUE(public_has("OPTIONS, GET_PARAMETER, SETUP", "GET_PARAMETER"));
  EXPECT_FALSE(public_has("OPTIONS, GET_PARAMETERS", "GET_PARAMETER"));
  EXPECT_EQ(format_public({"OPTIONS", "PLAY"}), "OPTIONS, PLAY");
  EXPECT_EQ(media_type("Application/SDP; charset=utf-8"), "application/sdp");
}

TEST(Url, ParsesCredentialsHostPortPath) {
  auto u = parse_rtsp_url("rtsp://cam%2D1:s3cr%40t@127.0.0.1:8554/cameras/cam-1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->user, "cam-1");
  EXPECT_EQ(u->password, "s3cr@t");
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8554);
  EXPECT_EQ(u->path, "/cameras/cam-1");
  EXPECT_EQ(u->without_credentials(), "rtsp://127.0.0.1:8554/cameras/cam-1");
  auto v6 = parse_rtsp_url("rtsp://[::1]/x");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 554);
  EXPECT_EQ(v6->without_credentials(), "rtsp://[::1]:554/x");
  std::string error;
  EXPECT_FALSE(parse_rtsp_url("http://x/", &error));
  EXPECT_NE(error.find("rtsp://"), std::string::npos);
  EXPECT_FALSE(parse_rtsp_url("rtsp://h:0/", &error));
  EXPECT_FALSE(parse_rtsp_url("rtsp:///path", &error));
}

TEST(Url, RtspsIsTlsOnPort322) {
  auto u = parse_rtsp_url("RTSPS://user:pw@127.0.0.1/cameras/cam-1");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->secure);
  EXPECT_EQ(u->port, 322);  // RFC 7826 section 19.2
  EXPECT_EQ(u->without_credentials(), "rtsps://127.0.0.1:322/cameras/cam-1");
  auto explicit_port = parse_rtsp_url("rtsps://[::1]:8322/x");
  ASSERT_TRUE(explicit_port);
  EXPECT_EQ(explicit_port->port, 8322);
  EXPECT_EQ(explicit_port->without_credentials(), "rtsps://[::1]:8322/x");
  auto plain = parse_rtsp_url("rtsp://h/x");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->secure);
  EXPECT_EQ(plain->port, 554);
  EXPECT_EQ(resolve_control_url("rtsps://h/cam", "rtsps://other/t"), "rtsps://other/t");
  EXPECT_EQ(resolve_control_url("rtsps://h/cam", "streamid=0"), "rtsps://h/cam/streamid=0");
}

TEST(Url, ResolvesControlAttributes) {
  EXPECT_EQ(resolve_control_url("rtsp://h/cam", "streamid=0"), "rtsp://h/cam/streamid=0");
  EXPECT_EQ(resolve_control_url("rtsp://h/cam/", "trackID=1"), "rtsp://h/cam/trackID=1");
  EXPECT_EQ(resolve_control_url("rtsp://h/cam", "*"), "rtsp://h/cam");
  EXPECT_EQ(resolve_control_url("rtsp://h/cam", "rtsp://other/t"), "rtsp://other/t");
}

}  // namespace
}  // namespace camleak::rtsp
