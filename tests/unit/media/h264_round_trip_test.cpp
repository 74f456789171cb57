// Camera side (pre-encoded loop + stamper) to hub side (FrameIdentifier) through real H.264.
#include <gtest/gtest.h>

#include "emulators/media/frame_identifier.hpp"
#include "emulators/media/h264_decoder.hpp"
#include "emulators/media/h264_loop.hpp"
#include "emulators/media/identity_stamper.hpp"
#include "emulators/media/media_error.hpp"
#include "emulators/media/pixel_code.hpp"
#include "emulators/media/scale.hpp"
#include "emulators/media/still_image.hpp"
#include "harness/core/errors.hpp"
#include "harness/core/rng.hpp"

namespace camleak::media {
namespace {

const RunKey kKey = run_key_from_seed(1);
constexpr uint32_t kCodeA = 0x0A0A0001u;
constexpr uint32_t kCodeB = 0x0B0B0002u;

LoopConfig small_loop(uint32_t code) {
  return LoopConfig{
      .encoder = {.width = 320, .height = 240, .fps = 25, .gop = 8, .bitrate_bps = 300'000},
      .gops = 2,
      .camera_code = code};
}

class H264RoundTrip : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    quiet_ffmpeg_logging();
    loop_a_ = H264Loop::encode(small_loop(kCodeA));
    loop_b_ = H264Loop::encode(small_loop(kCodeB));
  }
  static void TearDownTestSuite() {
    loop_a_.reset();
    loop_b_.reset();
  }
  static std::shared_ptr<const H264Loop> loop_a_;
  static std::shared_ptr<const H264Loop> loop_b_;
};
std::shared_ptr<const H264Loop> H264RoundTrip::loop_a_;
std::shared_ptr<const H264Loop> H264RoundTrip::loop_b_;

TEST_F(H264RoundTrip, LoopHasTheShapeTheStamperAndSdpNeed) {
  const H264Loop& loop = *loop_a_;
  ASSERT_EQ(loop.size(), 16u);
  EXPECT_EQ(h264::nal_unit_type(loop.sps()), h264::nal_type::sps);
  EXPECT_EQ(h264::nal_unit_type(loop.pps()), h264::nal_type::pps);
  // Baseline profile (66) with constraint_set1 (constrained baseline): any decoder plays it.
  EXPECT_EQ(loop.profile_level_id() >> 16, 66u);
  EXPECT_TRUE((loop.profile_level_id() >> 8) & 0x40);
  for (std::size_t i = 0; i < loop.size(); ++i) {
    const LoopFrame& frame = loop.frames()[i];
    EXPECT_EQ(frame.keyframe, i % 8 == 0) << "frame " << i;
    ASSERT_FALSE(frame.vcl.empty());
    for (const Bytes& nal : frame.vcl) {
      EXPECT_EQ(h264::nal_unit_type(nal),
                frame.keyframe ? h264::nal_type::slice_idr : h264::nal_type::slice);
    }
  }
  EXPECT_EQ(loop.frame_interval(), Micros{40'000});
}

TEST_F(H264RoundTrip, EveryStampedFrameIdentifiesExactly) {
  IdentityStamper stamper(loop_a_, kKey, "cam-a", "alice");
  FrameIdentifier identifier(kKey);
  // Two and a half passes through the loop: the wrap from the last P-frame to the IDR decodes.
  for (uint64_t i = 0; i < 40; ++i) {
    const Micros capture{1'000'000 + static_cast<int64_t>(i) * 40'000};
    const StampedAccessUnit unit = stamper.stamp(i, 1000 + i, capture);
    EXPECT_EQ(unit.keyframe, i % 8 == 0);
    if (unit.keyframe) {
      ASSERT_GE(unit.nals.size(), 4u);
      EXPECT_EQ(unit.nals[0], loop_a_->sps());
      EXPECT_EQ(unit.nals[1], loop_a_->pps());
      EXPECT_EQ(h264::nal_unit_type(unit.nals[2]), h264::nal_type::sei);
    } else {
      EXPECT_EQ(h264::nal_unit_type(unit.nals[0]), h264::nal_type::sei);
    }
    const FrameIdentity id = identifier.identify(unit.nals);
    ASSERT_EQ(id.status, DecodeStatus::ok) << "frame " << i;
    ASSERT_TRUE(id.sei);
    EXPECT_TRUE(id.sei->hmac_valid);
    EXPECT_EQ(id.sei->version, 1u);
    EXPECT_EQ(id.sei->camera, "cam-a");
    EXPECT_EQ(id.sei->owner, "alice");
    EXPECT_EQ(id.sei->sequence, 1000 + i);
    EXPECT_EQ(id.sei->capture_time, capture);
    EXPECT_EQ(id.pixel_code, kCodeA) << "frame " << i;
    EXPECT_EQ(identifier.picture().width(), 320);
    EXPECT_EQ(identifier.picture().height(), 240);
  }
}

TEST_F(H264RoundTrip, PixelCodeSurvivesTheRelaySnapshotPath) {
  // Decode, halve, JPEG at quality 50: the worst a snapshot endpoint is expected to do.
  IdentityStamper stamper(loop_a_, kKey, "cam-a", "alice");
  FrameIdentifier identifier(kKey);
  JpegEncoder jpeg(50);
  for (uint64_t i = 0; i < 16; ++i) {
    ASSERT_EQ(identifier.identify(stamper.stamp(i, i, Micros{0}).nals).status, DecodeStatus::ok);
    if (i % 3 != 0) continue;  // every picture must be decoded, a few are snapshotted
    const Picture half = scale_picture(identifier.picture(), 160, 120);
    const SnapshotIdentity snapshot = identify_jpeg(jpeg.encode(half));
    ASSERT_EQ(snapshot.status, DecodeStatus::ok);
    EXPECT_EQ(snapshot.pixel_code, kCodeA) << "frame " << i;
  }
}

TEST_F(H264RoundTrip, AnnexBFileFormRoundTripsToo) {
  IdentityStamper stamper(loop_b_, kKey, "cam-b", "bob");
  FrameIdentifier identifier(kKey);
  for (uint64_t i = 0; i < 10; ++i) {
    const Bytes stream = h264::join_annexb(stamper.stamp(i, i, Micros{0}).nals);
    const FrameIdentity id = identifier.identify(h264::split_annexb(stream));
    ASSERT_EQ(id.status, DecodeStatus::ok);
    EXPECT_TRUE(id.sei && id.sei->hmac_valid && id.sei->sequence == i);
    EXPECT_EQ(id.pixel_code, kCodeB);
  }
}

TEST_F(H264RoundTrip, BareDecoderTakesAnnexBAccessUnits) {
  IdentityStamper stamper(loop_a_, kKey, "cam-a", "alice");
  H264Decoder decoder;
  Picture picture;
  for (uint64_t i = 0; i < 3; ++i) {
    ASSERT_EQ(
        decoder.decode_annexb(h264::join_annexb(stamper.stamp(i, i, Micros{0}).nals), picture),
        DecodeStatus::ok);
    EXPECT_EQ(read_pixel_code(picture), kCodeA);
  }
  EXPECT_EQ(decoder.decode_annexb(Bytes{}, picture), DecodeStatus::corrupt);
  EXPECT_TRUE(picture.empty());
}

TEST_F(H264RoundTrip, SeiOfCameraAOnSlicesOfCameraBIsCaught) {
  IdentityStamper stamper_a(loop_a_, kKey, "cam-a", "alice");
  IdentityStamper stamper_b(loop_b_, kKey, "cam-b", "bob");
  FrameIdentifier identifier(kKey);
  for (uint64_t i = 0; i < 16; ++i) {
    const StampedAccessUnit a = stamper_a.stamp(i, i, Micros{0});
    StampedAccessUnit spliced = stamper_b.stamp(i, i, Micros{0});
    // Replace B's SEI with A's, as a relay mixing up streams would.
    for (Bytes& nal : spliced.nals) {
      if (h264::nal_unit_type(nal) == h264::nal_type::sei) {
        for (const Bytes& from_a : a.nals) {
          if (h264::nal_unit_type(from_a) == h264::nal_type::sei) nal = from_a;
        }
      }
    }
    const FrameIdentity id = identifier.identify(spliced.nals);
    ASSERT_EQ(id.status, DecodeStatus::ok);
    ASSERT_TRUE(id.sei);
    EXPECT_EQ(id.sei->camera, "cam-a");
    // The contract: the MAC fails or the picture names the other camera. Here both hold: the
    // two cameras' scenes move at different phases, so even their P-frames differ.
    EXPECT_FALSE(id.sei->hmac_valid) << "frame " << i;
    EXPECT_EQ(id.pixel_code, kCodeB);
  }
}

TEST_F(H264RoundTrip, DifferentCamerasNeverShareSliceBytes) {
  for (std::size_t i = 0; i < loop_a_->size(); ++i) {
    EXPECT_NE(loop_a_->frames()[i].slice_digest, loop_b_->frames()[i].slice_digest) << i;
  }
}

TEST_F(H264RoundTrip, TamperedSliceOrForeignKeyFailsTheMac) {
  IdentityStamper stamper(loop_a_, kKey, "cam-a", "alice");
  FrameIdentifier identifier(kKey);
  FrameIdentifier other_run(run_key_from_seed(2));
  StampedAccessUnit unit = stamper.stamp(0, 5, Micros{7});
  const FrameIdentity foreign = other_run.identify(unit.nals);
  ASSERT_TRUE(foreign.sei);
  EXPECT_FALSE(foreign.sei->hmac_valid);
  EXPECT_EQ(foreign.pixel_code, kCodeA);  // the picture itself is fine

  Bytes& slice = unit.nals.back();
  slice[slice.size() / 2] ^= 0x10;
  const FrameIdentity tampered = identifier.identify(unit.nals);
  ASSERT_TRUE(tampered.sei);
  EXPECT_FALSE(tampered.sei->hmac_valid);
}

TEST_F(H264RoundTrip, StrippedSeiLeavesOnlyThePixelCode) {
  IdentityStamper stamper(loop_b_, kKey, "cam-b", "bob");
  FrameIdentifier identifier(kKey);
  StampedAccessUnit unit = stamper.stamp(0, 0, Micros{0});
  std::erase_if(unit.nals,
                [](const Bytes& nal) { return h264::nal_unit_type(nal) == h264::nal_type::sei; });
  const FrameIdentity id = identifier.identify(unit.nals);
  EXPECT_EQ(id.status, DecodeStatus::ok);
  EXPECT_FALSE(id.sei);
  EXPECT_EQ(id.pixel_code, kCodeB);
}

TEST_F(H264RoundTrip, JoiningMidStreamIsCorruptUntilTheNextKeyframe) {
  IdentityStamper stamper(loop_a_, kKey, "cam-a", "alice");
  FrameIdentifier identifier(kKey);
  for (uint64_t i = 3; i < 8; ++i) {
    const FrameIdentity id = identifier.identify(stamper.stamp(i, i, Micros{0}).nals);
    EXPECT_EQ(id.status, DecodeStatus::corrupt) << "frame " << i;
    EXPECT_TRUE(id.sei && id.sei->hmac_valid);  // the SEI is readable without the picture
    EXPECT_FALSE(id.pixel_code);
    EXPECT_TRUE(identifier.picture().empty());
  }
  const FrameIdentity id = identifier.identify(stamper.stamp(8, 8, Micros{0}).nals);
  EXPECT_EQ(id.status, DecodeStatus::ok);
  EXPECT_EQ(id.pixel_code, kCodeA);
}

TEST_F(H264RoundTrip, CorruptAndForeignInputIsAStatusNeverACrash) {
  IdentityStamper stamper(loop_a_, kKey, "cam-a", "alice");
  FrameIdentifier identifier(kKey);
  Rng rng(5);
  // Random bytes where NAL units belong.
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<Bytes> nals(1 + rng.below(3));
    for (Bytes& nal : nals) {
      nal.resize(1 + rng.below(400));
      for (uint8_t& b : nal) b = static_cast<uint8_t>(rng.below(256));
    }
    const FrameIdentity id = identifier.identify(nals);
    EXPECT_NE(id.status, DecodeStatus::ok) << "trial " << trial;
    EXPECT_FALSE(id.pixel_code);
  }
  // Real stream with bytes flipped in the slices: never a crash; then an IDR recovers.
  for (uint64_t i = 0; i < 16; ++i) {
    StampedAccessUnit unit = stamper.stamp(i, i, Micros{0});
    Bytes& slice = unit.nals.back();
    for (int k = 0; k < 8; ++k)
      slice[1 + rng.below(slice.size() - 1)] = static_cast<uint8_t>(rng.below(256));
    const FrameIdentity id = identifier.identify(unit.nals);
    ASSERT_TRUE(id.sei);
    EXPECT_FALSE(id.sei->hmac_valid);
  }
  identifier.reset();
  const FrameIdentity recovered = identifier.identify(stamper.stamp(16, 16, Micros{0}).nals);
  EXPECT_EQ(recovered.status, DecodeStatus::ok);
  EXPECT_EQ(recovered.pixel_code, kCodeA);
  // Empty, headerless and parameter-set-only units.
  EXPECT_EQ(identifier.identify(std::vector<Bytes>{}).status, DecodeStatus::not_media);
  EXPECT_EQ(identifier.identify(std::vector<Bytes>{{0x80, 1, 2}, {}}).status,
            DecodeStatus::not_media);
  EXPECT_EQ(identifier.identify(std::vector<Bytes>{loop_a_->sps(), loop_a_->pps()}).status,
            DecodeStatus::not_media);
}

TEST_F(H264RoundTrip, ParameterSetsDeliveredSeparatelyStillServeTheNextPicture) {
  IdentityStamper stamper(loop_b_, kKey, "cam-b", "bob");
  FrameIdentifier identifier(kKey);
  StampedAccessUnit unit = stamper.stamp(0, 0, Micros{0});
  const std::vector<Bytes> parameter_sets(unit.nals.begin(), unit.nals.begin() + 2);
  const std::vector<Bytes> picture(unit.nals.begin() + 2, unit.nals.end());
  EXPECT_EQ(identifier.identify(parameter_sets).status, DecodeStatus::not_media);
  const FrameIdentity id = identifier.identify(picture);
  EXPECT_EQ(id.status, DecodeStatus::ok);
  EXPECT_TRUE(id.sei && id.sei->hmac_valid);
  EXPECT_EQ(id.pixel_code, kCodeB);
}

TEST_F(H264RoundTrip, OversizedPicturesAreRefusedByTheLimits) {
  IdentityStamper stamper(loop_a_, kKey, "cam-a", "alice");
  FrameIdentifier small(kKey, DecoderLimits{.max_width = 160, .max_height = 120});
  const FrameIdentity id = small.identify(stamper.stamp(0, 0, Micros{0}).nals);
  EXPECT_EQ(id.status, DecodeStatus::corrupt);
  EXPECT_TRUE(small.picture().empty());
  FrameIdentifier tiny_input(kKey, DecoderLimits{.max_input_bytes = 100});
  EXPECT_EQ(tiny_input.identify(stamper.stamp(0, 0, Micros{0}).nals).status, DecodeStatus::corrupt);
}

TEST_F(H264RoundTrip, DecodesAtTheOtherBenchmarkedResolution) {
  const auto loop = H264Loop::encode(
      LoopConfig{.encoder = {.width = 640, .height = 360, .gop = 4, .bitrate_bps = 600'000},
                 .gops = 1,
                 .camera_code = 0xC0DEu});
  IdentityStamper stamper(loop, kKey, "cam-wide", "carol");
  FrameIdentifier identifier(kKey);
  for (uint64_t i = 0; i < 4; ++i) {
    const FrameIdentity id = identifier.identify(stamper.stamp(i, i, Micros{0}).nals);
    ASSERT_EQ(id.status, DecodeStatus::ok);
    EXPECT_EQ(id.pixel_code, 0xC0DEu);
  }
}

TEST(H264Config, BadValuesAreNamed) {
  try {
    H264Encoder encoder(H264EncoderConfig{.width = 321, .fps = 0, .preset = "warp"});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 3u);
    EXPECT_EQ(e.diagnostics()[0].field, "width");
    EXPECT_EQ(e.diagnostics()[1].field, "fps");
    EXPECT_EQ(e.diagnostics()[2].field, "preset");
  }
  EXPECT_THROW(H264Loop::encode(LoopConfig{.gops = 0}), InputError);
}

TEST(H264Config, StamperRejectsUnusableIdentities) {
  const auto loop = H264Loop::encode(
      LoopConfig{.encoder = {.width = 160, .height = 120, .gop = 2}, .gops = 1, .camera_code = 1});
  EXPECT_THROW(IdentityStamper(loop, kKey, "", "alice"), InputError);
  EXPECT_THROW(IdentityStamper(loop, kKey, "cam", std::string(300, 'o')), InputError);
  EXPECT_THROW(IdentityStamper(nullptr, kKey, "cam", "alice"), MediaError);
}

}  // namespace
}  // namespace camleak::media
