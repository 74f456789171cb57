#include "harness/core/units.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace camleak::units {
namespace {

TEST(Units, Durations) {
  EXPECT_EQ(parse_duration("250ms"), Micros{250'000});
  EXPECT_EQ(parse_duration("2s"), Micros{2'000'000});
  EXPECT_EQ(parse_duration("1.5s"), Micros{1'500'000});
  EXPECT_EQ(parse_duration("1m"), Micros{60'000'000});
  EXPECT_EQ(parse_duration("500us"), Micros{500});
  EXPECT_EQ(parse_duration(" 3 s "), Micros{3'000'000});
  EXPECT_EQ(parse_duration("0"), Micros{0});
}

TEST(Units, DurationErrorsSayWhatWasExpected) {
  EXPECT_THROW(parse_duration("250"), std::invalid_argument);
  EXPECT_THROW(parse_duration("fast"), std::invalid_argument);
  EXPECT_THROW(parse_duration("-1s"), std::invalid_argument);
  try {
    parse_duration("5 parsecs");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ms"), std::string::npos);
  }
}

TEST(Units, Rates) {
  EXPECT_EQ(parse_rate_bps("512kbps"), 512'000u);
  EXPECT_EQ(parse_rate_bps("2Mbps"), 2'000'000u);
  EXPECT_EQ(parse_rate_bps("100KB/s"), 800'000u);
  EXPECT_THROW(parse_rate_bps("2 Mbit"), std::invalid_argument);
}

TEST(Units, Fractions) {
  EXPECT_DOUBLE_EQ(parse_fraction("5%"), 0.05);
  EXPECT_DOUBLE_EQ(parse_fraction("0.25"), 0.25);
  EXPECT_THROW(parse_fraction("150%"), std::invalid_argument);
  EXPECT_THROW(parse_fraction("2"), std::invalid_argument);
}

TEST(Units, Sizes) {
  EXPECT_EQ(parse_size_bytes("1500"), 1500u);
  EXPECT_EQ(parse_size_bytes("64KiB"), 65536u);
  EXPECT_EQ(parse_size_bytes("1MB"), 1'000'000u);
}

TEST(Units, FormatRoundTrips) {
  for (const char* s : {"250ms", "2s", "1.5s", "1m", "500us"}) {
    EXPECT_EQ(format_duration(parse_duration(s)), s);
  }
  EXPECT_EQ(format_rate_bps(2'000'000), "2Mbps");
  EXPECT_EQ(format_rate_bps(512'000), "512kbps");
}

}  // namespace
}  // namespace camleak::units
