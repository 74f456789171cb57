// Fleet::conformance_notes() totals the RFC deviations every camera and hub of a fleet tolerated
// from the SUT: here a relay that gives the session in its ANNOUNCE/DESCRIBE reply and leaves it
// out of SETUP (ffmpeg copes, so the devices must too, and say so).
#include <gtest/gtest.h>

#include <optional>

#include "emulators/media/media_error.hpp"
#include "fleet_support.hpp"
#include "harness/runner/fleet.hpp"
#include "tests/integration/rtsp/raw_rtsp_server.hpp"

namespace camleak::fleet_test {
namespace {

using rtsp::Request;
using rtsp::testing::conformant_reply;
using rtsp::testing::cseq_line;
using rtsp::testing::describe_reply;
using rtsp::testing::raw_reply;
using rtsp::testing::without_header;

scenario::Scenario one_camera_two_hubs() {
  scenario::Scenario s;
  s.name = "conformance";
  s.fleet.accounts = {{.name = "alice", .cameras = {"cam-1"}, .hubs = {"hub-1", "hub-2"}}};
  scenario::Camera camera;
  camera.name = "cam-1";
  camera.owner = "alice";
  camera.code = 1;
  camera.width = 160;
  camera.height = 96;
  camera.gop = 10;
  s.fleet.cameras = {camera};
  for (const char* name : {"hub-1", "hub-2"}) {
    scenario::Hub hub;
    hub.name = name;
    hub.account = "alice";
    hub.own_cameras = {"cam-1"};
    hub.snapshot_interval = Micros{0};
    hub.probe_interval = Micros{0};
    s.fleet.hubs.push_back(hub);
  }
  return s;
}

TEST(FleetConformance, NotesOfEveryDeviceAreTotalled) {
  media::quiet_ffmpeg_logging();
  IoThread server_io;
  std::optional<rtsp::testing::RawRtspServer> server;
  server_io.run_sync([&] {
    server.emplace(server_io.io(),
                   std::map<std::string, rtsp::testing::RawReply>{
                       {"ANNOUNCE",
                        [](const Request& r) {
                          return raw_reply("200 OK", {cseq_line(r), "Session: 9876"});
                        }},
                       {"DESCRIBE",
                        [](const Request& r) {
                          return describe_reply(r, "application/sdp", rtsp::testing::h264_sdp(),
                                                {"Session: ab12"});
                        }},
                       {"SETUP", [](const Request& r) {
                          return without_header(conformant_reply(r), "Session");
                        }}});
  });
  const scenario::Scenario scenario = one_camera_two_hubs();
  runner::Credentials credentials;
  credentials.account_tokens["alice"] = "tok";
  credentials.camera_secrets["cam-1"] = "secret";
  credentials.hmac_key = media::run_key_from_seed(5);
  runner::DevicePorts ports;
  ports.uplink["cam-1"] = server->port();
  ports.live["hub-1"] = server->port();
  ports.live["hub-2"] = server->port();
  SteadyClock clock;
  Recorder recorder;
  runner::Fleet fleet(
      scenario, 7, credentials, ports, clock,
      {.on_operation = recorder.operation_sink(), .on_observation = recorder.observation_sink()});
  fleet.start();
  ASSERT_TRUE(recorder.wait([](const auto&, const auto& ops) {
    return count_ops(ops, OperationType::publish, CompletionType::ok) >= 1 &&
           count_ops(ops, OperationType::play, CompletionType::ok, "hub-1") >= 1 &&
           count_ops(ops, OperationType::play, CompletionType::ok, "hub-2") >= 1;
  }));
  const std::vector<rtsp::ConformanceNote> notes = fleet.conformance_notes();
  fleet.stop();
  server_io.stop();

  ASSERT_EQ(notes.size(), 2u);  // sorted by text: ANNOUNCE before DESCRIBE
  const std::string url = "rtsp://127.0.0.1:" + std::to_string(server->port()) + "/cameras/cam-1";
  EXPECT_EQ(
      notes[0].text,
      "SETUP reply without Session header (RFC 2326 12.37); reused the session from ANNOUNCE");
  EXPECT_GE(notes[0].count, 1u);
  EXPECT_EQ(notes[0].example, "SETUP " + url + "/streamid=0");  // the camera's own SDP control
  EXPECT_EQ(notes[1].text,
            "SETUP reply without Session header (RFC 2326 12.37); reused the session from "
            "DESCRIBE");
  EXPECT_GE(notes[1].count, 2u);  // one per hub, totalled
  EXPECT_EQ(notes[1].example, "SETUP " + url + "/trackID=0");
}

}  // namespace
}  // namespace camleak::fleet_test
