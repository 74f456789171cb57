#include "emulators/hub/hub_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "harness/core/errors.hpp"

namespace camleak::emulators {
namespace {

HubConfig good() {
  HubConfig c;
  c.name = "hub-1";
  c.account = "alice";
  c.token = "tok";
  c.rtsp_port = 8554;
  c.http_port = 8080;
  c.cameras = {"cam-1"};
  return c;
}

bool has_field(const InputError& e, const std::string& field) {
  return std::any_of(e.diagnostics().begin(), e.diagnostics().end(),
                     [&](const Diagnostic& d) { return d.field == field; });
}

TEST(HubConfig, ValidateReportsEveryBadField) {
  HubConfig c = good();
  c.token.clear();
  c.probe_interval = Micros{1'000};  // probes without targets
  c.max_queued_access_units = 0;
  c.cameras.push_back("");
  c.backoff.initial = Micros{0};
  try {
    validate(c);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_TRUE(has_field(e, "hub.token"));
    EXPECT_TRUE(has_field(e, "hub.probe_targets"));
    EXPECT_TRUE(has_field(e, "hub.max_queued_access_units"));
    EXPECT_TRUE(has_field(e, "hub.cameras[1]"));
    EXPECT_TRUE(has_field(e, "hub.backoff.initial"));
  }
  EXPECT_NO_THROW(validate(good()));
}

TEST(HubConfig, SnapshotsNeedAnHttpPort) {
  HubConfig c = good();
  c.http_port = 0;
  EXPECT_NO_THROW(validate(c));
  c.snapshot_interval = Micros{100'000};
  EXPECT_THROW(validate(c), InputError);
}

TEST(HubConfig, UrlsFollowTheSutContract) {
  HubConfig c = good();
  EXPECT_EQ(play_url(c, "cam-9"), "rtsp://127.0.0.1:8554/cameras/cam-9");
  c.rtsp_host = "::1";
  EXPECT_EQ(play_url(c, "cam-9"), "rtsp://[::1]:8554/cameras/cam-9");
  const HttpTarget snapshot = snapshot_request(c, "cam-9");
  EXPECT_EQ(snapshot.target, "/cameras/cam-9/snapshot");
  ASSERT_EQ(snapshot.headers.size(), 1u);
  EXPECT_EQ(snapshot.headers[0].second, "Bearer " + c.token);
}

TEST(HubConfig, AnAdaptersLayoutReplacesTheContracts) {
  HubConfig c = good();
  c.scheme = "rtsps";
  c.play_target = [](const std::string& camera) { return "/live/" + camera + "?q=1"; };
  c.snapshot_request = [](const std::string& camera) {
    return HttpTarget{"/v2/" + camera + ".jpg?access_token=t", {}};
  };
  EXPECT_EQ(play_url(c, "cam-9"), "rtsps://127.0.0.1:8554/live/cam-9?q=1");
  const HttpTarget snapshot = snapshot_request(c, "cam-9");
  EXPECT_EQ(snapshot.target, "/v2/cam-9.jpg?access_token=t");
  EXPECT_TRUE(snapshot.headers.empty());
}

}  // namespace
}  // namespace camleak::emulators
