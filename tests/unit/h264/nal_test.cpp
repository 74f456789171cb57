#include "emulators/h264/nal.hpp"

#include <gtest/gtest.h>

#include "emulators/h264/access_unit.hpp"
#include "harness/core/rng.hpp"

namespace camleak::h264 {
namespace {

TEST(Nal, SplitsThreeAndFourByteStartCodesAndDropsTrailingZeros) {
  const Bytes stream = {0xAA, 0,    0,    0, 1, 0x67, 0x42, 0x00, 0x1E, 0,    0, 1,
                        0x68, 0xCE, 0x00, 0, 0, 0,    1,    0x65, 0x88, 0x84, 0, 0};
  const std::vector<Bytes> nals = split_annexb(stream);
  ASSERT_EQ(nals.size(), 3u);
  EXPECT_EQ(nals[0], (Bytes{0x67, 0x42, 0x00, 0x1E}));
  EXPECT_EQ(nals[1], (Bytes{0x68, 0xCE}));
  EXPECT_EQ(nals[2], (Bytes{0x65, 0x88, 0x84}));
  EXPECT_EQ(nal_unit_type(nals[0]), nal_type::sps);
  EXPECT_TRUE(is_vcl(nals[2]));
  EXPECT_FALSE(is_vcl(nals[1]));
}

TEST(Nal, JoinThenSplitGivesTheSameUnits) {
  const std::vector<Bytes> nals = {{0x67, 1, 2, 3}, {0x68, 4}, {0x06, 5, 0x80}, {0x65, 0, 3, 9}};
  const Bytes stream = join_annexb(nals);
  EXPECT_EQ(stream.size(), annexb_size(nals));
  EXPECT_EQ(split_annexb(stream), nals);
}

TEST(Nal, NoStartCodeMeansNoUnits) {
  EXPECT_TRUE(split_annexb(Bytes{1, 2, 3, 4, 5}).empty());
  EXPECT_TRUE(split_annexb(Bytes{}).empty());
  EXPECT_TRUE(split_annexb(Bytes{0, 0, 1}).empty());
}

TEST(Nal, EscapeInsertsPreventionBytesExactlyWhereNeeded) {
  EXPECT_EQ(escape_rbsp(Bytes{0, 0, 0, 0x80}), (Bytes{0, 0, 3, 0, 0x80}));
  EXPECT_EQ(escape_rbsp(Bytes{0, 0, 1, 0, 0, 2, 0, 0, 3}),
            (Bytes{0, 0, 3, 1, 0, 0, 3, 2, 0, 0, 3, 3}));
  EXPECT_EQ(escape_rbsp(Bytes{0, 0, 4, 0, 0xFF}), (Bytes{0, 0, 4, 0, 0xFF}));
  EXPECT_EQ(unescape_rbsp(Bytes{0, 0, 3, 1, 0, 0, 3, 0, 0x80}), (Bytes{0, 0, 1, 0, 0, 0, 0x80}));
}

TEST(Nal, EscapeRoundTripsAndNeverLeavesAStartCode) {
  Rng rng(7);
  for (int trial = 0; trial < 500; ++trial) {
    Bytes rbsp(rng.below(200) + 1);
    // Mostly zeros and small values: the bytes emulation prevention is about.
    for (uint8_t& b : rbsp) b = static_cast<uint8_t>(rng.bernoulli(0.6) ? 0 : rng.below(5));
    rbsp.back() = 0x80;  // rbsp_stop_one_bit
    const Bytes escaped = escape_rbsp(rbsp);
    for (std::size_t i = 0; i + 2 < escaped.size(); ++i) {
      ASSERT_FALSE(escaped[i] == 0 && escaped[i + 1] == 0 && escaped[i + 2] <= 2)
          << "start-code-like bytes at " << i << " in trial " << trial;
    }
    ASSERT_EQ(unescape_rbsp(escaped), rbsp) << "trial " << trial;
    // And it survives an Annex-B stream intact.
    Bytes nal{nal_type::sei};
    nal.insert(nal.end(), escaped.begin(), escaped.end());
    const std::vector<Bytes> back = split_annexb(join_annexb(std::vector<Bytes>{nal, nal}));
    ASSERT_EQ(back, (std::vector<Bytes>{nal, nal}));
  }
}

TEST(Nal, HeaderValidity) {
  EXPECT_TRUE(has_valid_header(Bytes{0x65}));
  EXPECT_FALSE(has_valid_header(Bytes{0xE5}));  // forbidden_zero_bit
  EXPECT_FALSE(has_valid_header(Bytes{0x00}));  // type 0 unspecified
  EXPECT_FALSE(has_valid_header(Bytes{0x1C}));  // 28 = FU-A, never inside an access unit
  EXPECT_FALSE(has_valid_header(Bytes{}));
}

TEST(AccessUnit, CountsItsBytesAndWritesAnnexB) {
  AccessUnit au;
  au.nals = {{0x67, 1, 2}, {0x68, 3}, {0x65, 4, 5}};
  EXPECT_EQ(au.bytes(), 8u);
  const Bytes joined = au.to_annexb();
  EXPECT_EQ(joined.size(), 4u * 3 + 8);
  EXPECT_EQ(split_annexb(joined), au.nals);
}

}  // namespace
}  // namespace camleak::h264
