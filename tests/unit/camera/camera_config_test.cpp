#include "emulators/camera/camera_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "emulators/media/frame_identifier.hpp"
#include "emulators/media/pixel_code.hpp"
#include "harness/core/errors.hpp"

namespace camleak::emulators {
namespace {

CameraConfig good() {
  CameraConfig c;
  c.name = "cam-1";
  c.owner = "alice";
  c.secret = "s3cret";
  c.rtsp_port = 8554;
  c.pixel_code = 0xC0DE01;
  c.width = 96;
  c.height = 64;
  c.fps = 10;
  c.gop = 5;
  return c;
}

bool has_field(const InputError& e, const std::string& field) {
  return std::any_of(e.diagnostics().begin(), e.diagnostics().end(),
                     [&](const Diagnostic& d) { return d.field == field; });
}

TEST(CameraConfig, ValidateReportsEveryBadField) {
  CameraConfig c = good();
  c.name.clear();
  c.rtsp_port = 0;
  c.fps = 0;
  c.backoff.jitter = 3;
  c.width = 97;  // odd: the encoder refuses it
  try {
    validate(c);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_TRUE(has_field(e, "camera.name"));
    EXPECT_TRUE(has_field(e, "camera.rtsp_port"));
    EXPECT_TRUE(has_field(e, "camera.fps"));
    EXPECT_TRUE(has_field(e, "camera.backoff.jitter"));
    EXPECT_GE(e.diagnostics().size(), 5u);
  }
  EXPECT_NO_THROW(validate(good()));
}

TEST(CameraConfig, PublishUrlFollowsTheSutContract) {
  CameraConfig c = good();
  EXPECT_EQ(publish_url(c), "rtsp://127.0.0.1:8554/cameras/cam-1");
  c.rtsp_host = "::1";
  EXPECT_EQ(publish_url(c), "rtsp://[::1]:8554/cameras/cam-1");
}

TEST(CameraConfig, EncodeLoopsInParallelGivesEachCameraItsOwnPixelCode) {
  std::vector<CameraConfig> configs;
  for (uint32_t i = 0; i < 3; ++i) {
    CameraConfig c = good();
    c.name = "cam-" + std::to_string(i);
    c.pixel_code = 1000 + i;
    configs.push_back(c);
  }
  const auto loops = encode_loops(configs, 2);
  ASSERT_EQ(loops.size(), 3u);
  for (uint32_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(loops[i]);
    EXPECT_EQ(loops[i]->size(), 5u);  // one GOP
    EXPECT_TRUE(loops[i]->frame(0).keyframe);
    // Decode the IDR and read the code back.
    media::FrameIdentifier identifier(media::run_key_from_seed(1));
    std::vector<Bytes> au{loops[i]->sps(), loops[i]->pps()};
    au.insert(au.end(), loops[i]->frame(0).vcl.begin(), loops[i]->frame(0).vcl.end());
    const auto identity = identifier.identify(au);
    ASSERT_EQ(identity.status, DecodeStatus::ok);
    EXPECT_EQ(identity.pixel_code, 1000 + i);
  }
}

TEST(CameraConfig, EncodeLoopsRethrowsABadConfig) {
  std::vector<CameraConfig> configs{good(), good()};
  configs[1].width = 7;
  EXPECT_ANY_THROW(encode_loops(configs, 2));
}

}  // namespace
}  // namespace camleak::emulators
