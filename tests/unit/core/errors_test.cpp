#include "harness/core/errors.hpp"

#include <gtest/gtest.h>

namespace camleak {
namespace {

TEST(Errors, DiagnosticFormatsKnownParts) {
  EXPECT_EQ((Diagnostic{"a.yaml", 3, 7, "links.jitter", "bad"}).format(), "a.yaml:3:7: links.jitter: bad");
  EXPECT_EQ((Diagnostic{"", 0, 0, "rate", "must be positive"}).format(), "rate: must be positive");
  EXPECT_EQ((Diagnostic{"a.yaml", 3, 0, "", "x"}).format(), "a.yaml:3: x");
}

TEST(Errors, InputErrorListsEveryDiagnostic) {
  InputError e({Diagnostic{"f", 1, 1, "a", "one"}, Diagnostic{"f", 2, 1, "b", "two"}});
  EXPECT_EQ(e.diagnostics().size(), 2u);
  EXPECT_STREQ(e.what(), "f:1:1: a: one\nf:2:1: b: two");
}

}  // namespace
}  // namespace camleak
