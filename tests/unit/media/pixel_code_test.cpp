#include "emulators/media/pixel_code.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "emulators/media/media_error.hpp"
#include "emulators/media/scale.hpp"
#include "emulators/media/still_image.hpp"
#include "emulators/media/test_pattern.hpp"
#include "harness/core/rng.hpp"

namespace camleak::media {
namespace {

constexpr uint32_t kCodes[] = {0u, 1u, 0xFFFFFFFFu, 0x00C0FFEEu, 0x80000001u, 0x12345678u};

TEST(PixelCode, DrawThenReadAtManySizes) {
  const std::pair<int, int> sizes[] = {{320, 240}, {640, 360},  {160, 120}, {176, 144},
                                       {100, 40},  {1280, 720}, {322, 200}};
  for (auto [width, height] : sizes) {
    for (uint32_t code : kCodes) {
      Picture picture = Picture::allocate(width, height, AV_PIX_FMT_GRAY8);
      draw_pixel_code(*picture.mutable_luma(), code);
      EXPECT_EQ(read_pixel_code(picture), code) << width << "x" << height << " code " << code;
    }
  }
}

TEST(PixelCode, ReadsFromTheTestPatternEveryFrame) {
  for (uint64_t frame = 0; frame < 60; frame += 7) {
    EXPECT_EQ(read_pixel_code(make_test_picture(320, 240, frame, 0xABCDEF01u)), 0xABCDEF01u);
  }
  // Without a code the same pattern names nobody.
  for (uint64_t frame = 0; frame < 60; frame += 7) {
    EXPECT_FALSE(read_pixel_code(make_test_picture(320, 240, frame, std::nullopt)));
  }
}

TEST(PixelCode, TooSmallToDrawThrowsAndReadsNothing) {
  Picture narrow = Picture::allocate(60, 60, AV_PIX_FMT_GRAY8);
  EXPECT_THROW(draw_pixel_code(*narrow.mutable_luma(), 5), MediaError);
  EXPECT_FALSE(read_pixel_code(narrow));
  Picture flat_strip = Picture::allocate(320, 40, AV_PIX_FMT_GRAY8);  // band needs 48 rows
  EXPECT_THROW(draw_pixel_code(*flat_strip.mutable_luma(), 5), MediaError);
  EXPECT_FALSE(read_pixel_code(flat_strip));
  EXPECT_FALSE(read_pixel_code(Picture()));
}

TEST(PixelCode, AnyDamagedCellIsRejectedNotGuessed) {
  Picture picture = Picture::allocate(320, 240, AV_PIX_FMT_GRAY8);
  const MutableLumaView luma = *picture.mutable_luma();
  draw_pixel_code(luma, 0x01020304u);
  // Flip one data cell (column 5, row 1: x 80..95, y 16..31): the CRC catches the wrong bit.
  Picture flipped = picture;
  flipped.make_writable();
  const MutableLumaView f = *flipped.mutable_luma();
  const uint8_t old = f.row(20)[85];
  const uint8_t flipped_level = old == kPixelCodeWhite ? kPixelCodeBlack : kPixelCodeWhite;
  for (int y = 16; y < 32; ++y) std::memset(f.row(y) + 80, flipped_level, 16);
  EXPECT_FALSE(read_pixel_code(flipped));
  // Grey out one cell: neither black nor white.
  for (int y = 16; y < 32; ++y) std::memset(f.row(y) + 80, 128, 16);
  EXPECT_FALSE(read_pixel_code(flipped));
  // Half the cell black, half white: not uniform.
  for (int y = 16; y < 32; ++y) {
    std::memset(f.row(y) + 80, kPixelCodeBlack, 8);
    std::memset(f.row(y) + 88, kPixelCodeWhite, 8);
  }
  EXPECT_FALSE(read_pixel_code(flipped));
  // The original is untouched by the copy's edits and still reads.
  EXPECT_EQ(read_pixel_code(picture), 0x01020304u);
}

TEST(PixelCode, SurvivesJpegQuality50) {
  for (uint32_t code : kCodes) {
    const Picture source = make_test_picture(320, 240, code % 50, code);
    JpegEncoder encoder(50);
    const SnapshotIdentity snapshot = identify_jpeg(encoder.encode(source));
    ASSERT_EQ(snapshot.status, DecodeStatus::ok);
    EXPECT_EQ(snapshot.pixel_code, code);
  }
}

TEST(PixelCode, SurvivesHalfSizeScaling) {
  for (int algorithm : {SWS_BILINEAR, SWS_AREA, SWS_BICUBIC, SWS_FAST_BILINEAR}) {
    for (uint32_t code : kCodes) {
      const Picture half = scale_picture(make_test_picture(320, 240, 3, code), 160, 120, algorithm);
      EXPECT_EQ(read_pixel_code(half), code) << "sws flags " << algorithm;
    }
  }
  // 640x360 down to 320x180 as well.
  EXPECT_EQ(read_pixel_code(scale_picture(make_test_picture(640, 360, 9, 77u), 320, 180)), 77u);
}

TEST(PixelCode, SurvivesHalfSizeThenJpegQuality50) {
  const Picture half = scale_picture(make_test_picture(320, 240, 11, 0xFEEDu), 160, 120);
  JpegEncoder encoder(50);
  EXPECT_EQ(identify_jpeg(encoder.encode(half)).pixel_code, 0xFEEDu);
}

TEST(PixelCode, NoiseFramesNeverYieldACode) {
  Rng rng(2024);
  Picture picture = Picture::allocate(320, 240, AV_PIX_FMT_GRAY8);
  const MutableLumaView luma = *picture.mutable_luma();
  for (int trial = 0; trial < 2000; ++trial) {
    // Only the band area matters to the reader; fill it with fresh noise each trial.
    for (int y = 0; y < 48; ++y) {
      uint8_t* row = luma.row(y);
      for (int x = 0; x < 320; x += 8) {
        const uint64_t bits = rng.next_u64();
        std::memcpy(row + x, &bits, 8);
      }
    }
    ASSERT_FALSE(read_pixel_code(picture)) << "trial " << trial;
  }
}

TEST(PixelCode, RandomBlackAndWhiteCellsOnTheGridNeverYieldACode) {
  // The hardest case for the reader: perfectly clean cells exactly on its grid, random levels.
  // Only the sync pattern (1 in 4096) and the CRC (1 in 65536) stand between this and a code.
  Rng rng(99);
  Picture picture = Picture::allocate(320, 240, AV_PIX_FMT_GRAY8);
  const MutableLumaView luma = *picture.mutable_luma();
  int found = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    for (int row = 0; row < 3; ++row) {
      uint64_t bits = rng.next_u64();
      for (int column = 0; column < 20; ++column, bits >>= 1) {
        const uint8_t level = (bits & 1) ? 224 : 32;
        for (int y = row * 16; y < row * 16 + 16; ++y)
          std::memset(luma.row(y) + column * 16, level, 16);
      }
    }
    if (read_pixel_code(picture)) ++found;
  }
  EXPECT_EQ(found, 0);
}

TEST(PixelCode, FlatAndGradientFramesYieldNoCode) {
  Picture picture = Picture::allocate(320, 240, AV_PIX_FMT_GRAY8);
  const MutableLumaView luma = *picture.mutable_luma();
  for (int level : {0, 16, 32, 128, 224, 235, 255}) {
    for (int y = 0; y < 240; ++y) std::memset(luma.row(y), level, 320);
    EXPECT_FALSE(read_pixel_code(picture)) << "flat " << level;
  }
  for (int y = 0; y < 240; ++y) {
    for (int x = 0; x < 320; ++x) luma.row(y)[x] = static_cast<uint8_t>(x * 255 / 319);
  }
  EXPECT_FALSE(read_pixel_code(picture));
  // Stripes at the cell pitch: contrast everywhere, but no sync pattern and no CRC.
  for (int y = 0; y < 240; ++y) {
    for (int x = 0; x < 320; ++x) luma.row(y)[x] = ((x / 16 + y / 16) % 2) ? 224 : 32;
  }
  EXPECT_FALSE(read_pixel_code(picture));
}

TEST(PixelCode, CrcIsTheCcittFalseVariant) {
  // Reference value from an independent implementation that gives the catalogue check value
  // 0x29B1 for "123456789"; the code 0x31323334 is the bytes "1234".
  EXPECT_EQ(pixel_code_crc(0x31323334u), 0x5349);
}

}  // namespace
}  // namespace camleak::media
