#include "harness/core/json_text.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>

namespace camleak {
namespace {

namespace json = boost::json;

// Go's choice of notation: plain from 1e-6 up to 1e21, exponent form outside it; boost's own
// serializer printed every double in exponent form (`1E0`, `3E4`).
TEST(JsonText, NumbersArePrintedAsGoAndJavaScriptPrintThem) {
  const json::array numbers{1.0,  0.0,  -2.0, 0.1,    1234.5,      3e4,
                            1e20, 1e21, 1e-7, 2.5e-6, int64_t{-3}, uint64_t{18446744073709551615u}};
  EXPECT_EQ(json_text(numbers),
            "[1,0,-2,0.1,1234.5,30000,100000000000000000000,1e+21,1e-07,"
            "0.0000025,-3,18446744073709551615]");
}

TEST(JsonText, NonFiniteNumbersAreNull) {
  EXPECT_EQ(json_text(json::array{std::numeric_limits<double>::infinity(), std::nan("")}),
            "[null,null]");
}

TEST(JsonText, StringsKeysAndNestingAsJson) {
  EXPECT_EQ(json_text(json::object{
                {"a\"b", json::array{true, nullptr, "x\n", json::object{{"k", 0.5}}}}}),
            R"({"a\"b":[true,null,"x\n",{"k":0.5}]})");
  // Whatever it prints reads back as the same value.
  const json::value v =
      json::object{{"ratio", 0.9234567891234567}, {"n", json::array{1e300, -1e-300}}};
  EXPECT_EQ(json::parse(json_text(v)), v);
}

}  // namespace
}  // namespace camleak
