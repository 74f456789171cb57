// `camleak keygen` and `camleak verify` run as a user runs them: what they print and their exit
// codes (0 verified, 1 tampered, 2 bad input). The record is signed through the library, the way
// a certification run signs its report.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <vector>

#include "harness/certify/directory_signing.hpp"
#include "tests/support/temp_dir.hpp"

namespace camleak::certify {
namespace {

namespace fs = std::filesystem;
using camleak::testing::TempDir;

const std::string kCamleak = CAMLEAK_BINARY_DIR "/harness/cli/camleak";

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout, then stderr
};

// Each argument in single quotes, so paths reach camleak as they are.
std::string shell_quoted(const std::string& arg) {
  std::string out = "'";
  for (const char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Outcome camleak(const std::vector<std::string>& args) {
  std::string command = shell_quoted(kCamleak);
  for (const std::string& arg : args) command += " " + shell_quoted(arg);
  command += " 2>&1";
  Outcome outcome;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return outcome;
  char chunk[1024];
  for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, pipe)) > 0;)
    outcome.output.append(chunk, n);
  const int status = ::pclose(pipe);
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  return outcome;
}

class CertifyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kCamleak))
      GTEST_SKIP() << "the camleak binary is not built (" << kCamleak << ")";
    const Outcome keygen = camleak({"keygen", "--out", (keys_ / "vendor.pem").string()});
    ASSERT_EQ(keygen.exit_code, 0) << keygen.output;
    std::smatch match;
    ASSERT_TRUE(
        std::regex_search(keygen.output, match, std::regex("fingerprint: ([0-9a-f]{16})\n")))
        << keygen.output;
    fingerprint_ = match[1];
    record_.write("report.json", "{}");
    record_.write("evidence/x.png", "png");
    record_.write("evidence/cam-1.pcap", "pcap");
    sign_directory(record_.path(), keys_ / "vendor.pem");
  }

  Outcome verify(const fs::path& pubkey) const {
    return camleak({"verify", record_.path().string(), "--pubkey", pubkey.string()});
  }
  Outcome verify() const { return verify(keys_ / "vendor.pub"); }

  TempDir keys_{"camleak-cli-keys"};
  TempDir record_{"camleak-cli-record"};
  std::string fingerprint_;
};

TEST_F(CertifyCli, KeygenWritesBothKeysAndPrintsThem) {
  const fs::path pem = keys_ / "second.pem";
  const Outcome r = camleak({"keygen", "--out", pem.string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(r.output.starts_with("private key: " + pem.string() + "\npublic key:  " +
                                   (keys_ / "second.pub").string() + "\nfingerprint: "))
      << r.output;
  struct stat info {};
  ASSERT_EQ(::stat(pem.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_TRUE(fs::exists(keys_ / "second.pub"));
}

TEST_F(CertifyCli, KeygenRefusesToOverwriteWithExitTwo) {
  const std::string before = keys_.read("vendor.pem");
  const Outcome r = camleak({"keygen", "--out", (keys_ / "vendor.pem").string()});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(r.output, (keys_ / "vendor.pem").string() +
                          ": already exists; camleak never overwrites a key file (remove it, or "
                          "choose another --out)\n");
  EXPECT_EQ(keys_.read("vendor.pem"), before);

  keys_.write("lonely.pub", "a public key of someone else");
  const Outcome pub = camleak({"keygen", "--out", (keys_ / "lonely.pem").string()});
  EXPECT_EQ(pub.exit_code, 2) << pub.output;
  EXPECT_NE(pub.output.find((keys_ / "lonely.pub").string() + ": already exists"),
            std::string::npos)
      << pub.output;
  EXPECT_FALSE(fs::exists(keys_ / "lonely.pem"));
}

TEST_F(CertifyCli, VerifyPassesWithExitZero) {
  const Outcome r = verify();
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "verified: 3 files, signature good (key " + fingerprint_ + ")\n");
}

TEST_F(CertifyCli, VerifyNamesEachProblemWithExitOne) {
  record_.write("evidence/x.png", "another png");
  fs::remove(record_ / "evidence/cam-1.pcap");
  record_.write("evidence/y.png", "planted");
  const Outcome r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output,
            "changed: evidence/x.png\n"
            "missing: evidence/cam-1.pcap\n"
            "added: evidence/y.png\n"
            "not verified: 3 problems (key " +
                fingerprint_ + ")\n");
}

TEST_F(CertifyCli, VerifyReportsABadSignatureWithExitOne) {
  std::string sig = record_.read("MANIFEST.sig");
  sig[5] = sig[5] == 'A' ? 'B' : 'A';
  record_.write("MANIFEST.sig", sig);
  const Outcome r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output, "signature: does not match MANIFEST\nnot verified: 1 problem (key " +
                          fingerprint_ + ")\n");
}

TEST_F(CertifyCli, VerifyWithAnotherKeyFailsWithExitOne) {
  ASSERT_EQ(camleak({"keygen", "--out", (keys_ / "other.pem").string()}).exit_code, 0);
  const Outcome r = verify(keys_ / "other.pub");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(r.output.starts_with("signature: does not match MANIFEST (MANIFEST.pub names key " +
                                   fingerprint_))
      << r.output;
}

TEST_F(CertifyCli, VerifyRefusesBadInputWithExitTwo) {
  const Outcome no_dir = camleak(
      {"verify", (record_ / "absent").string(), "--pubkey", (keys_ / "vendor.pub").string()});
  EXPECT_EQ(no_dir.exit_code, 2) << no_dir.output;
  EXPECT_EQ(no_dir.output, (record_ / "absent").string() + ": no such directory\n");

  const TempDir unsigned_dir("camleak-cli-unsigned");
  const Outcome no_manifest = camleak(
      {"verify", unsigned_dir.path().string(), "--pubkey", (keys_ / "vendor.pub").string()});
  EXPECT_EQ(no_manifest.exit_code, 2) << no_manifest.output;
  EXPECT_EQ(no_manifest.output, (unsigned_dir / "MANIFEST").string() +
                                    ": no such file: the directory was never signed\n");

  const Outcome no_key = verify(keys_ / "absent.pub");
  EXPECT_EQ(no_key.exit_code, 2) << no_key.output;
  EXPECT_EQ(no_key.output,
            (keys_ / "absent.pub").string() + ": cannot read: No such file or directory\n");

  const Outcome private_key = verify(keys_ / "vendor.pem");
  EXPECT_EQ(private_key.exit_code, 2) << private_key.output;
  EXPECT_TRUE(
      private_key.output.starts_with((keys_ / "vendor.pem").string() + ": holds a private key"))
      << private_key.output;

  const Outcome no_flag = camleak({"verify", record_.path().string()});
  EXPECT_EQ(no_flag.exit_code, 2) << no_flag.output;
}

}  // namespace
}  // namespace camleak::certify
