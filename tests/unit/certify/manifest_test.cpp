// The manifest text: what it lists and in which order, the strict reader (every problem at its
// line), and the comparison of a directory with it.
#include "harness/certify/manifest.hpp"

#include <gtest/gtest.h>

#include "harness/core/errors.hpp"

namespace camleak::certify {
namespace {

const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');
const std::string kHashC = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// The InputError text parse_manifest gives for `text` ("" when it reads).
std::string parse_error(const std::string& text) {
  try {
    parse_manifest(text, "rec/MANIFEST");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string header() {
  return std::string(kManifestHeader) + "\n";
}

std::string line(const std::string& hash, const std::string& size, const std::string& path) {
  return hash + "  " + size + "  " + path + "\n";
}

TEST(Manifest, FormatsSortedLinesUnderTheHeader) {
  const Manifest m = make_manifest({{"report.json", 120, kHashA},
                                    {"evidence/frame 1.png", 0, kHashB},
                                    {"JUNIT.xml", 18446744073709551615ull, kHashC}});
  EXPECT_EQ(format_manifest(m),
            "camleak-manifest 1\n" + line(kHashC, "18446744073709551615", "JUNIT.xml") +
                line(kHashB, "0", "evidence/frame 1.png") + line(kHashA, "120", "report.json"));
}

TEST(Manifest, RoundTripsThroughItsText) {
  const Manifest m =
      make_manifest({{"a", 1, kHashA},
                     {"with  two  spaces", 2, kHashB},
                     {"nested/dir/deep.pcap", 3, kHashC},
                     {"caf\xc3\xa9.txt", 4, kHashA},
                     {"evidence/MANIFEST", 5, kHashB}});  // only the top-level one is signing's
  EXPECT_EQ(parse_manifest(format_manifest(m), "MANIFEST"), m);
  const Manifest empty = make_manifest({});
  EXPECT_EQ(format_manifest(empty), header());
  EXPECT_EQ(parse_manifest(header(), "MANIFEST"), empty);
}

// Byte order, not locale order: upper case before lower, '.' (0x2e) before '/' (0x2f), UTF-8
// after ASCII.
TEST(Manifest, SortsPathsInByteOrder) {
  const Manifest m = make_manifest({{"\xc3\xa9", 1, kHashA},
                                    {"a/b", 1, kHashA},
                                    {"a.txt", 1, kHashA},
                                    {"B", 1, kHashA},
                                    {"a", 1, kHashA}});
  std::vector<std::string> paths;
  for (const auto& e : m.entries) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"B", "a", "a.txt", "a/b", "\xc3\xa9"}));
}

TEST(Manifest, RefusesPathsTheTextCannotHold) {
  try {
    make_manifest({{"ok.txt", 1, kHashA},
                   {"evil\nffff  1  forged.png", 1, kHashA},
                   {"tab\there", 1, kHashA},
                   {"/etc/passwd", 1, kHashA},
                   {"a/../b", 1, kHashA},
                   {"dup", 1, kHashA},
                   {"dup", 2, kHashB},
                   {"bad-hash", 1, "ABC"}});
    FAIL() << "make_manifest accepted unlistable paths";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot list the path \"/etc/passwd\": it is absolute\n"
              "cannot list the path \"a/../b\": it has a . or .. component\n"
              "the SHA-256 of \"bad-hash\" is not 64 hex digits\n"
              "the path \"dup\" comes twice\n"
              "cannot list the path \"evil\\nffff  1  forged.png\": it holds a control "
              "character\n"
              "cannot list the path \"tab\\there\": it holds a control character");
  }
}

TEST(Manifest, PathProblems) {
  EXPECT_EQ(path_problem("a/b c/d.png"), std::nullopt);
  EXPECT_EQ(path_problem(".hidden/x"), std::nullopt);
  EXPECT_EQ(path_problem(""), "is empty");
  EXPECT_EQ(path_problem("a//b"), "has an empty component (a doubled or trailing /)");
  EXPECT_EQ(path_problem("a/"), "has an empty component (a doubled or trailing /)");
  EXPECT_EQ(path_problem("./a"), "has a . or .. component");
  EXPECT_EQ(path_problem("a\x7f"), "holds a control character");
  EXPECT_EQ(path_problem("a\r"), "holds a control character");
  EXPECT_EQ(printable_path("a\nb\tc\x01\x7f"), "a\\nb\\tc\\x01\\x7f");
}

TEST(Manifest, SigningFilesAreTopLevelOnly) {
  EXPECT_TRUE(is_signing_file("MANIFEST"));
  EXPECT_TRUE(is_signing_file("MANIFEST.sig"));
  EXPECT_TRUE(is_signing_file("MANIFEST.pub"));
  EXPECT_FALSE(is_signing_file("evidence/MANIFEST"));
  EXPECT_FALSE(is_signing_file("MANIFEST.txt"));
}

TEST(ManifestParse, RefusesWhatIsNotTheHeader) {
  EXPECT_EQ(parse_error(""), "rec/MANIFEST:1: empty: expected \"camleak-manifest 1\"");
  EXPECT_EQ(parse_error("hello\n"),
            "rec/MANIFEST:1: not a camleak manifest: the first line must be \"camleak-manifest "
            "1\"");
  EXPECT_EQ(parse_error("camleak-manifest 2\n" + line(kHashA, "1", "a")),
            "rec/MANIFEST:1: manifest format version \"2\" is not one this camleak reads (it "
            "reads \"camleak-manifest 1\")");
  // A trailing space is another version, and the message shows it between the quotes.
  EXPECT_EQ(parse_error("camleak-manifest 1 \n"),
            "rec/MANIFEST:1: manifest format version \"1 \" is not one this camleak reads (it "
            "reads \"camleak-manifest 1\")");
}

TEST(ManifestParse, NamesTheLineOfEachBadEntry) {
  struct Case {
    std::string line;
    std::string error;
  };
  const Case cases[] = {
      {line(std::string(64, 'A'), "1", "a"),
       "expected a SHA-256 of 64 lowercase hex digits at the start of the line"},
      {line(std::string(63, 'a'), "1", "a"),
       "expected a SHA-256 of 64 lowercase hex digits at the start of the line"},
      {kHashA + " 1  a\n", "expected two spaces after the SHA-256"},
      {kHashA + "  1 a\n",
       "expected the size in bytes (decimal digits) and two spaces after the SHA-256"},
      {line(kHashA, "012", "a"),
       "expected the size in bytes (decimal digits) and two spaces after the SHA-256"},
      {line(kHashA, "-1", "a"),
       "expected the size in bytes (decimal digits) and two spaces after the SHA-256"},
      {line(kHashA, "+1", "a"),
       "expected the size in bytes (decimal digits) and two spaces after the SHA-256"},
      {line(kHashA, "18446744073709551616", "a"),
       "expected the size in bytes (decimal digits) and two spaces after the SHA-256"},
      {line(kHashA, "", "a"),
       "expected the size in bytes (decimal digits) and two spaces after the SHA-256"},
      {line(kHashA, "1", ""), "path \"\" is empty"},
      {line(kHashA, "1", "../outside"), "path \"../outside\" has a . or .. component"},
      {line(kHashA, "1", "/abs"), "path \"/abs\" is absolute"},
      {kHashA + "  1  crlf\r\n", "path \"crlf\\x0d\" holds a control character"},
      {line(kHashA, "1", "MANIFEST.sig"),
       "lists the signing file \"MANIFEST.sig\", which is never signed"},
      {"\n", "expected a SHA-256 of 64 lowercase hex digits at the start of the line"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(parse_error(header() + line(kHashB, "7", "first") + c.line),
              "rec/MANIFEST:3: " + c.error)
        << c.line;
  }
}

TEST(ManifestParse, RefusesEntriesOutOfOrderOrTwice) {
  EXPECT_EQ(parse_error(header() + line(kHashA, "1", "b") + line(kHashA, "1", "a")),
            "rec/MANIFEST:3: \"a\" is out of order: it comes after \"b\" (line 2), and paths are "
            "sorted in byte order");
  EXPECT_EQ(parse_error(header() + line(kHashA, "1", "a") + line(kHashB, "2", "a")),
            "rec/MANIFEST:3: \"a\" is listed twice (also on line 2)");
}

TEST(ManifestParse, EveryLineEndsInANewline) {
  EXPECT_EQ(parse_error(header() + kHashA + "  1  a"),
            "rec/MANIFEST:2: the last line does not end in a newline");
  EXPECT_EQ(parse_error("camleak-manifest 1"),
            "rec/MANIFEST:1: the last line does not end in a newline");
}

TEST(ManifestParse, ReportsEveryBadLine) {
  EXPECT_EQ(parse_error(header() + line(kHashA, "x", "a") + line(kHashA, "1", "b") +
                        line(kHashA, "1", "c//d")),
            "rec/MANIFEST:2: expected the size in bytes (decimal digits) and two spaces after the "
            "SHA-256\n"
            "rec/MANIFEST:4: path \"c//d\" has an empty component (a doubled or trailing /)");
}

TEST(ManifestCompare, SameListingHasNoDifference) {
  const Manifest m = make_manifest({{"a", 1, kHashA}, {"b/c", 2, kHashB}});
  EXPECT_TRUE(compare_manifests(m, m).empty());
}

TEST(ManifestCompare, NamesChangedMissingAndAddedFiles) {
  const Manifest expected = make_manifest({{"same", 1, kHashA},
                                           {"other-hash", 1, kHashA},
                                           {"other-size", 1, kHashA},
                                           {"gone", 1, kHashA},
                                           {"sub/gone-too", 1, kHashA}});
  const Manifest actual = make_manifest({{"same", 1, kHashA},
                                         {"other-hash", 1, kHashB},
                                         {"other-size", 2, kHashA},
                                         {"new", 1, kHashA},
                                         {"sub/new", 1, kHashA}});
  const ManifestDiff diff = compare_manifests(expected, actual);
  EXPECT_EQ(diff.changed, (std::vector<std::string>{"other-hash", "other-size"}));
  EXPECT_EQ(diff.missing, (std::vector<std::string>{"gone", "sub/gone-too"}));
  EXPECT_EQ(diff.added, (std::vector<std::string>{"new", "sub/new"}));
  EXPECT_TRUE(diff.not_regular.empty());
  EXPECT_FALSE(diff.empty());
}

// A listed file replaced by a link was changed, not removed; a link nobody listed was added.
TEST(ManifestCompare, LinksAreChangedWhereAFileWasAndAddedElsewhere) {
  const Manifest expected = make_manifest({{"a.png", 1, kHashA}, {"z.png", 1, kHashA}});
  const Manifest actual = make_manifest({{"z.png", 1, kHashA}});
  const ManifestDiff diff = compare_manifests(expected, actual, {"link", "a.png"});
  EXPECT_EQ(diff.changed, (std::vector<std::string>{"a.png"}));
  EXPECT_TRUE(diff.missing.empty());
  EXPECT_EQ(diff.added, (std::vector<std::string>{"link"}));
  EXPECT_EQ(diff.not_regular, (std::vector<std::string>{"a.png", "link"}));
}

}  // namespace
}  // namespace camleak::certify
