#include "harness/core/units.hpp"

#include <gtest/gtest.h>

#include <limits>
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

// Past the int64 microsecond range (about 292,000 years) a duration used to wrap to a negative
// or garbage value that then validated; durations past 292 years fit in microseconds but wrap
// the nanosecond steady_clock they are added to. Ten years is the limit, the text as written is
// named.
TEST(Units, DurationsPastTenYearsAreRefused) {
  EXPECT_EQ(parse_duration("87600h"), kLongestDuration);
  EXPECT_EQ(duration_from_ms(315'360'000'000.0), kLongestDuration);
  for (const char* text :
       {"87601h", "2562047h", "9999999999999h", "9223372036854775808us", "1e30s"}) {
    SCOPED_TRACE(text);
    try {
      const Micros d = parse_duration(text);
      ADD_FAILURE() << "parsed as " << d.count() << "us";
    } catch (const std::invalid_argument& e) {
      const std::string message = e.what();
      if (std::string_view(text) != "1e30s") {  // "1e30s" is not a number + unit at all
        EXPECT_NE(message.find("out of range"), std::string::npos) << message;
        EXPECT_NE(message.find(text), std::string::npos) << message;
      }
    }
  }
  EXPECT_EQ(duration_from_ms(1.5), Micros{1500});
  EXPECT_THROW(duration_from_ms(1e20), std::invalid_argument);
  EXPECT_THROW(duration_from_ms(-1e20), std::invalid_argument);
  EXPECT_THROW(duration_from_ms(std::numeric_limits<double>::infinity()), std::invalid_argument);
}

TEST(Units, RatesAndSizesPastTheirRangeAreRefused) {
  EXPECT_THROW(parse_rate_bps("99999999999999999999Gbps"), std::invalid_argument);
  EXPECT_THROW(parse_size_bytes("99999999999999999999GiB"), std::invalid_argument);
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
  // Every digit exact, however long (through %g, 1234567s printed as "1.23457e+06s").
  for (const char* s : {"1234567s", "1234567.5s", "1234567m", "5256000m"}) {
    EXPECT_EQ(format_duration(parse_duration(s)), s);
  }
  EXPECT_EQ(format_duration(Micros{9'223'372'036'854'775'000}), "9223372036854.775s");
  EXPECT_EQ(format_rate_bps(2'000'000), "2Mbps");
  EXPECT_EQ(format_rate_bps(512'000), "512kbps");
}

}  // namespace
}  // namespace camleak::units
