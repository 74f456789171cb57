#include "emulators/media/still_image.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "emulators/media/media_error.hpp"
#include "emulators/media/pixel_code.hpp"
#include "emulators/media/test_pattern.hpp"
#include "harness/core/errors.hpp"
#include "harness/core/rng.hpp"

namespace camleak::media {
namespace {

TEST(StillImage, JpegRoundTripKeepsSizeAndCode) {
  JpegEncoder encoder(85);
  const Bytes jpeg = encoder.encode(make_test_picture(640, 360, 4, 4242u));
  ASSERT_GE(jpeg.size(), 4u);
  EXPECT_EQ(jpeg[0], 0xFF);
  EXPECT_EQ(jpeg[1], 0xD8);
  const SnapshotIdentity snapshot = identify_jpeg(jpeg);
  ASSERT_EQ(snapshot.status, DecodeStatus::ok);
  EXPECT_EQ(snapshot.pixel_code, 4242u);
  EXPECT_EQ(snapshot.picture.width(), 640);
  EXPECT_EQ(snapshot.picture.height(), 360);
  // The encoder is reused across sizes and for re-encoding a decoded JPEG.
  EXPECT_EQ(identify_jpeg(encoder.encode(snapshot.picture)).pixel_code, 4242u);
  EXPECT_EQ(identify_jpeg(encoder.encode(make_test_picture(320, 240, 0, 9u))).pixel_code, 9u);
}

TEST(StillImage, LowerQualityMeansSmallerFiles) {
  const Picture picture = make_test_picture(320, 240, 0, 1u);
  JpegEncoder high(95);
  JpegEncoder mid(50);
  JpegEncoder low(10);
  const std::size_t high_size = high.encode(picture).size();
  const std::size_t mid_size = mid.encode(picture).size();
  const std::size_t low_size = low.encode(picture).size();
  EXPECT_GT(high_size, mid_size);
  EXPECT_GT(mid_size, low_size);
  EXPECT_THROW(JpegEncoder(0), InputError);
  EXPECT_THROW(JpegEncoder(101), InputError);
}

// First luma quantisation table of a JPEG, in the file's zigzag order.
std::vector<int> luma_table(const Bytes& jpeg) {
  for (std::size_t i = 0; i + 5 + 64 <= jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xDB && (jpeg[i + 4] & 0x0F) == 0) {
      return std::vector<int>(jpeg.begin() + static_cast<std::ptrdiff_t>(i) + 5,
                              jpeg.begin() + static_cast<std::ptrdiff_t>(i) + 5 + 64);
    }
  }
  return {};
}

TEST(StillImage, QualityMeansWhatItMeansToLibjpeg) {
  const Picture picture = make_test_picture(160, 120, 0, 1u);
  // Quality 50 = the T.81 Annex K example table (zigzag: 16 11 12 14 12 10 16 14 ... 99); the DC
  // step is mjpeg's fixed 8.
  const std::vector<int> q50 = luma_table(JpegEncoder(50).encode(picture));
  ASSERT_EQ(q50.size(), 64u);
  EXPECT_EQ(std::vector<int>(q50.begin() + 1, q50.begin() + 8),
            (std::vector<int>{11, 12, 14, 12, 10, 16, 14}));
  EXPECT_EQ(q50[63], 99);
  // Quality 75 halves it, quality 25 doubles it (libjpeg rounding).
  const std::vector<int> q75 = luma_table(JpegEncoder(75).encode(picture));
  const std::vector<int> q25 = luma_table(JpegEncoder(25).encode(picture));
  ASSERT_EQ(q75.size(), 64u);
  ASSERT_EQ(q25.size(), 64u);
  EXPECT_EQ(q75[1], 6);
  EXPECT_EQ(q75[63], 50);
  EXPECT_EQ(q25[1], 22);
  EXPECT_EQ(q25[63], 198);
}

TEST(StillImage, NotAJpegIsNotMedia) {
  const std::string html = "<html>502 Bad Gateway</html>";
  EXPECT_EQ(
      identify_jpeg(ByteView(reinterpret_cast<const uint8_t*>(html.data()), html.size())).status,
      DecodeStatus::not_media);
  EXPECT_EQ(identify_jpeg(Bytes{}).status, DecodeStatus::not_media);
  EXPECT_EQ(identify_jpeg(Bytes{0xFF, 0xD8}).status, DecodeStatus::not_media);
  const Bytes png = encode_png(make_test_picture(160, 120, 0, 1u));
  EXPECT_EQ(identify_jpeg(png).status, DecodeStatus::not_media);
}

TEST(StillImage, DamagedJpegIsCorruptOrUnidentifiedNeverACrash) {
  JpegEncoder encoder(75);
  const Bytes jpeg = encoder.encode(make_test_picture(320, 240, 0, 123u));
  // Truncated right after the headers: the decoder has no picture to give.
  const Bytes headers_only(jpeg.begin(), jpeg.begin() + 200);
  const SnapshotIdentity truncated = identify_jpeg(headers_only);
  EXPECT_NE(truncated.status, DecodeStatus::not_media);
  EXPECT_FALSE(truncated.pixel_code);
  // Random damage: whatever comes out, no wrong code.
  Rng rng(11);
  for (int trial = 0; trial < 100; ++trial) {
    Bytes damaged = jpeg;
    for (int k = 0; k < 20; ++k) {
      damaged[4 + rng.below(damaged.size() - 4)] = static_cast<uint8_t>(rng.below(256));
    }
    const SnapshotIdentity id = identify_jpeg(damaged);
    EXPECT_TRUE(!id.pixel_code || *id.pixel_code == 123u) << "trial " << trial;
  }
  // Beyond the input limit: not decoded at all.
  EXPECT_EQ(identify_jpeg(jpeg, DecoderLimits{.max_input_bytes = 64}).status,
            DecodeStatus::corrupt);
  // Larger than the pixel limit.
  EXPECT_EQ(identify_jpeg(jpeg, DecoderLimits{.max_width = 100, .max_height = 100}).status,
            DecodeStatus::corrupt);
}

TEST(StillImage, PngHasTheSignatureAndTheSize) {
  const Bytes png = encode_png(make_test_picture(320, 240, 0, 5u));
  const Bytes signature = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  ASSERT_GT(png.size(), 24u);
  EXPECT_TRUE(std::equal(signature.begin(), signature.end(), png.begin()));
  // IHDR width and height, big-endian, at bytes 16..23.
  EXPECT_EQ((png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19]), 320);
  EXPECT_EQ((png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23]), 240);
  EXPECT_THROW(encode_png(Picture()), MediaError);
}

}  // namespace
}  // namespace camleak::media
