#include "harness/core/errors.hpp"

#include <gtest/gtest.h>

namespace camleak {
namespace {

TEST(Errors, DiagnosticFormatsKnownParts) {
  EXPECT_EQ((Diagnostic{"a.yaml", 3, 7, "links.jitter", "bad"}).format(),
            "a.yaml:3:7: links.jitter: bad");
  EXPECT_EQ((Diagnostic{"", 0, 0, "rate", "must be positive"}).format(), "rate: must be positive");
  EXPECT_EQ((Diagnostic{"a.yaml", 3, 0, "", "x"}).format(), "a.yaml:3: x");
}

TEST(Errors, InputErrorListsEveryDiagnostic) {
  InputError e({Diagnostic{"f", 1, 1, "a", "one"}, Diagnostic{"f", 2, 1, "b", "two"}});
  EXPECT_EQ(e.diagnostics().size(), 2u);
  EXPECT_STREQ(e.what(), "f:1:1: a: one\nf:2:1: b: two");
}

// A 30 MB value in a file must not come back as a 30 MB message: each echoed value ("..." or
// `...`) keeps 80 bytes and says how long it was, the rest of the message stays whole.
TEST(Errors, EchoedValuesAreClipped) {
  const std::string huge(30'000'000, 'x');
  const Diagnostic d{"s.yaml", 4, 9, "timeline[0].storm.mode",
                     "unknown value \"" + huge + "\"; expected one of all-at-once, spread"};
  const std::string text = d.format();
  EXPECT_LT(text.size(), 300u) << text.substr(0, 300);
  EXPECT_EQ(text, "s.yaml:4:9: timeline[0].storm.mode: unknown value \"" + std::string(80, 'x') +
                      "… (30000000 bytes)\"; expected one of all-at-once, spread");
  InputError e(d);
  EXPECT_LT(std::string(e.what()).size(), 300u);
  EXPECT_EQ(e.diagnostics().front().message.size(), d.message.size());  // the data stays whole
}

TEST(Errors, HugeKeysInTheFieldAndUnquotedEchoesAreClipped) {
  const std::string key(1'000'000, 'k');
  const std::string text =
      Diagnostic{"s.yaml", 1, 1, "links." + key, "unknown key `" + key + "`"}.format();
  EXPECT_EQ(text, "s.yaml:1:1: links." + std::string(80, 'k') + "… (1000000 bytes): unknown key `" +
                      std::string(80, 'k') + "… (1000000 bytes)`");
  // A value with a quote inside it, or echoed without quotes, still cannot make a long message.
  EXPECT_LT(Diagnostic{.message = "got " + std::string(100'000, 'y')}.format().size(), 500u);
  EXPECT_LT(Diagnostic{.message = "got \"a\"" + std::string(100'000, 'y') + "\""}.format().size(),
            500u);
}

// An InputError's text inside another message (an API error) is formatted again: the length
// reported stays the value's, not that of the clipped text.
TEST(Errors, ClippingTwiceKeepsTheFirstLength) {
  const std::string once = Diagnostic{.message = "got `" + std::string(5000, 'v') + "`"}.format();
  EXPECT_EQ(Diagnostic{.message = "bad body: " + once}.format(), "bad body: " + once);
  EXPECT_NE(once.find("(5000 bytes)"), std::string::npos) << once;
}

TEST(Errors, ClippingNeverSplitsAUtf8Character) {
  // é takes bytes 80 and 81. (Built with append: GCC 12 warns falsely on string + literal here.)
  std::string value(79, 'a');
  value.append("é").append(100, 'b');
  std::string expected(79, 'a');
  expected.append("… (181 bytes)");
  EXPECT_EQ(clip_value(value), expected);
  EXPECT_EQ(clip_value("short"), "short");
}

}  // namespace
}  // namespace camleak
