#pragma once
// camleak's RTSP module: one include for everything, and a map of which piece serves which side.
//
// Client side (camera and hub emulators): RtspClient (rtsp_client.hpp) does the whole
// exchange on Asio; feed what on_rtp() delivers into an H264Depacketizer (hub), or drive an
// H264Packetizer into send_rtp() (camera). Build the camera's SDP with build_h264_sdp().
//
// Server side (the reference relay), all sans-I/O so the relay owns its sockets:
//   StreamParser        one per TCP connection: feed bytes, get Requests and interleaved
//                       RTP/RTCP frames (RECORD over TCP); a fatal ParseError means close.
//   Response + append_response / append_interleaved
//                       answers and interleaved RTP (PLAY over TCP) into one output buffer.
//   parse_transport / format_transport, parse_session / format_session, format_rtp_info,
//   format_public, parse_range
//                       the SETUP / PLAY / RECORD header fields.
//   parse_basic_authorization, parse_digest_authorization + verify_digest, format_challenge
//                       the SUT contract's Basic auth (and Digest, if the relay offers it).
//   parse_h264_sdp      the ANNOUNCEd SDP (sprop-parameter-sets, control), and
//   build_h264_sdp      the DESCRIBE answer.
//   parse_rtp, H264Depacketizer, H264Packetizer, parse_rtcp / append_rtcp_sr / _rr
//                       for a relay that inspects or re-packetizes media.
// Every parser returns nullopt (with an error naming the field) or a counted ParseError on
// malformed network input; none throws, none grows memory without bound.
#include "emulators/h264/nal.hpp"
#include "emulators/rtsp/auth.hpp"
#include "emulators/rtsp/base64.hpp"
#include "emulators/rtsp/client_error.hpp"
#include "emulators/rtsp/h264_depacketizer.hpp"
#include "emulators/rtsp/h264_packetizer.hpp"
#include "emulators/rtsp/headers.hpp"
#include "emulators/rtsp/message.hpp"
#include "emulators/rtsp/rtcp.hpp"
#include "emulators/rtsp/rtp.hpp"
#include "emulators/rtsp/rtsp_client.hpp"
#include "emulators/rtsp/sdp.hpp"
#include "emulators/rtsp/stream_parser.hpp"
#include "emulators/rtsp/url.hpp"
