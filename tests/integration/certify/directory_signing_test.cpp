// A report directory signed for real in /tmp, then tampered with every way an attacker (or an
// accident) can: each tamper must fail verification naming exactly the file it touched, and
// nothing else.
#include "harness/certify/directory_signing.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "harness/certify/signing.hpp"
#include "harness/core/errors.hpp"
#include "tests/support/temp_dir.hpp"

namespace camleak::certify {
namespace {

namespace fs = std::filesystem;
using camleak::testing::TempDir;
using Paths = std::vector<std::string>;

ByteView bytes_of(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

std::string sha256_hex(const std::string& bytes) {
  Sha256 sha;
  sha.update(bytes_of(bytes));
  return lower_hex(sha.finish());
}

class DirectorySigning : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = generate_key_pair_files(keys_ / "vendor.pem");
    // A pcap past several read chunks, so streaming is what gets tested.
    pcap_.resize(300'000);
    for (size_t i = 0; i < pcap_.size(); ++i) pcap_[i] = static_cast<char>(i * 7 % 251);
    record_.write("report.html", "<html>PASS</html>");
    record_.write("report.json", "{\"verdict\":\"PASS\"}");
    record_.write("junit.xml", "<testsuites/>");
    record_.write("empty.txt", "");
    record_.write("evidence/frame-1.png", std::string("\x89PNG\r\n\x1a\n\0\0\0", 11));
    record_.write("evidence/with space.txt", "spaces in names are fine");
    record_.write("evidence/pcap/cam-1_uplink.pcap", pcap_);
    record_.write("a/b/c/deep.txt", "three levels down");
    fs::create_directories(record_ / "empty-dir");  // lists nothing
  }

  SignResult sign() const { return sign_directory(record_.path(), key_.private_key); }
  VerifyResult verify() const { return verify_directory(record_.path(), key_.public_key); }

  // Asserts `r` found exactly these problems.
  static void expect_problems(const VerifyResult& r, bool signature_ok, const Paths& changed,
                              const Paths& missing, const Paths& added) {
    EXPECT_EQ(r.signature_ok(), signature_ok) << r.signature_problem.value_or("");
    EXPECT_EQ(r.manifest_problem, std::nullopt);
    EXPECT_EQ(r.diff.changed, changed);
    EXPECT_EQ(r.diff.missing, missing);
    EXPECT_EQ(r.diff.added, added);
    EXPECT_FALSE(r.ok());
  }

  TempDir keys_{"camleak-keys"};
  TempDir record_{"camleak-record"};
  KeyPairFiles key_;
  std::string pcap_;
};

TEST_F(DirectorySigning, SignsEveryFileAndVerifiesGood) {
  const SignResult signed_ = sign();
  EXPECT_EQ(signed_.files, 8u);
  EXPECT_EQ(signed_.fingerprint, key_.fingerprint);

  const std::string manifest = record_.read("MANIFEST");
  const Manifest listed = parse_manifest(manifest, "MANIFEST");
  Paths paths;
  for (const auto& e : listed.entries) paths.push_back(e.path);
  EXPECT_EQ(paths, (Paths{"a/b/c/deep.txt", "empty.txt", "evidence/frame-1.png",
                          "evidence/pcap/cam-1_uplink.pcap", "evidence/with space.txt", "junit.xml",
                          "report.html", "report.json"}));
  EXPECT_EQ(listed.entries[3],
            (ManifestEntry{"evidence/pcap/cam-1_uplink.pcap", pcap_.size(), sha256_hex(pcap_)}));
  EXPECT_EQ(listed.entries[1].sha256, sha256_hex(""));

  // MANIFEST.sig: one base64 line, the signature over MANIFEST's exact bytes.
  const std::string sig = record_.read("MANIFEST.sig");
  ASSERT_TRUE(sig.ends_with('\n'));
  const auto signature = parse_signature_text(sig.substr(0, sig.size() - 1));
  ASSERT_TRUE(signature);
  const PublicKey public_key = PublicKey::load_pem_file(key_.public_key);
  EXPECT_TRUE(public_key.verify(bytes_of(manifest), *signature));
  EXPECT_EQ(record_.read("MANIFEST.pub"), public_key.pem());

  const VerifyResult r = verify();
  EXPECT_TRUE(r.ok()) << r.signature_problem.value_or("");
  EXPECT_EQ(r.files, 8u);
  EXPECT_EQ(r.fingerprint, key_.fingerprint);
  // No temporary file of the atomic writes is left behind.
  for (const auto& entry : fs::directory_iterator(record_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

TEST_F(DirectorySigning, OneChangedByteNamesItsFile) {
  sign();
  std::string png = record_.read("evidence/frame-1.png");
  png[9] ^= 0x01;
  record_.write("evidence/frame-1.png", png);
  expect_problems(verify(), true, {"evidence/frame-1.png"}, {}, {});
}

TEST_F(DirectorySigning, AChangeDeepInsideALargeFileIsFound) {
  sign();
  std::string pcap = pcap_;
  pcap[250'000] ^= 0x40;  // the fourth read chunk; same size
  record_.write("evidence/pcap/cam-1_uplink.pcap", pcap);
  expect_problems(verify(), true, {"evidence/pcap/cam-1_uplink.pcap"}, {}, {});
}

TEST_F(DirectorySigning, ADeletedFileIsMissing) {
  sign();
  fs::remove(record_ / "a/b/c/deep.txt");
  expect_problems(verify(), true, {}, {"a/b/c/deep.txt"}, {});
}

TEST_F(DirectorySigning, AnAddedFileIsNamed) {
  sign();
  record_.write("evidence/planted.png", "not from the run");
  record_.write("empty-dir/new/also.txt", "x");
  expect_problems(verify(), true, {}, {}, {"empty-dir/new/also.txt", "evidence/planted.png"});
}

// The forger's move: change a file and its hash in MANIFEST. Only the signature can tell.
TEST_F(DirectorySigning, AnEditedManifestBreaksTheSignature) {
  sign();
  record_.write("report.json", "{\"verdict\":\"FAIL\"}");
  std::string manifest = record_.read("MANIFEST");
  const std::string old_line = sha256_hex("{\"verdict\":\"PASS\"}") + "  18  report.json\n";
  const size_t at = manifest.find(old_line);
  ASSERT_NE(at, std::string::npos) << manifest;
  manifest.replace(at, old_line.size(),
                   sha256_hex("{\"verdict\":\"FAIL\"}") + "  18  report.json\n");
  record_.write("MANIFEST", manifest);
  const VerifyResult r = verify();
  expect_problems(r, false, {}, {}, {});
  EXPECT_EQ(r.signature_problem, "does not match MANIFEST");
}

// An edit of MANIFEST alone: the signature fails, and the file whose line was edited no longer
// matches it.
TEST_F(DirectorySigning, AnEditedManifestLineNamesItsFile) {
  sign();
  std::string manifest = record_.read("MANIFEST");
  const size_t at = manifest.find("  junit.xml\n");
  ASSERT_NE(at, std::string::npos);
  const size_t hash_start = manifest.rfind('\n', at) + 1;
  manifest[hash_start] = manifest[hash_start] == '0' ? '1' : '0';
  record_.write("MANIFEST", manifest);
  const VerifyResult r = verify();
  expect_problems(r, false, {"junit.xml"}, {}, {});
  EXPECT_EQ(r.signature_problem, "does not match MANIFEST");
}

TEST_F(DirectorySigning, AnEditedSignatureFails) {
  sign();
  std::string sig = record_.read("MANIFEST.sig");
  sig[20] = sig[20] == 'A' ? 'B' : 'A';  // still canonical base64, another signature
  record_.write("MANIFEST.sig", sig);
  const VerifyResult r = verify();
  expect_problems(r, false, {}, {}, {});
  EXPECT_EQ(r.signature_problem, "does not match MANIFEST");

  record_.write("MANIFEST.sig", "garbage\n");
  EXPECT_EQ(verify().signature_problem,
            "MANIFEST.sig is not one line of base64 holding an Ed25519 signature");
  fs::remove(record_ / "MANIFEST.sig");
  EXPECT_EQ(verify().signature_problem, "MANIFEST.sig is missing");
}

TEST_F(DirectorySigning, SignatureFileWithoutItsNewlineStillVerifies) {
  sign();
  std::string sig = record_.read("MANIFEST.sig");
  sig.pop_back();
  record_.write("MANIFEST.sig", sig);
  EXPECT_TRUE(verify().ok());
}

TEST_F(DirectorySigning, AnotherKeyFailsAndSaysSo) {
  sign();
  const KeyPairFiles other = generate_key_pair_files(keys_ / "other.pem");
  const VerifyResult r = verify_directory(record_.path(), other.public_key);
  expect_problems(r, false, {}, {}, {});
  EXPECT_EQ(r.signature_problem, "does not match MANIFEST (MANIFEST.pub names key " +
                                     key_.fingerprint + ", not the trusted " + other.fingerprint +
                                     ": signed with another key?)");
  EXPECT_EQ(r.fingerprint, other.fingerprint);
}

// The copy of the public key in the directory is never trusted: a forger who re-signs the
// tampered record with their own key (and leaves their key in MANIFEST.pub) is caught.
TEST_F(DirectorySigning, AResignedRecordFailsUnderTheTrustedKey) {
  sign();
  record_.write("report.json", "{\"verdict\":\"FAIL\"}");
  const KeyPairFiles forger = generate_key_pair_files(keys_ / "forger.pem");
  sign_directory(record_.path(), forger.private_key);
  EXPECT_TRUE(verify_directory(record_.path(), forger.public_key).ok());
  const VerifyResult r = verify();
  EXPECT_FALSE(r.signature_ok());
  EXPECT_TRUE(r.diff.empty());  // the forged MANIFEST lists the forged file
}

TEST_F(DirectorySigning, SigningAgainReplacesTheSignature) {
  sign();
  record_.write("report.html", "<html>re-rendered</html>");
  EXPECT_FALSE(verify().ok());
  EXPECT_EQ(sign().files, 8u);
  EXPECT_TRUE(verify().ok());
}

TEST_F(DirectorySigning, RefusesToSignALink) {
  fs::create_symlink("/etc/passwd", record_ / "evidence/outside.png");
  try {
    sign();
    FAIL() << "signed a record with a link in it";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              (record_ / "evidence/outside.png").string() +
                  ": is a link or another non-regular file; a signed record holds only files "
                  "and directories, so it cannot point outside itself");
  }
  EXPECT_FALSE(fs::exists(record_ / "MANIFEST"));
}

TEST_F(DirectorySigning, ALinkInASignedRecordIsReportedNotFollowed) {
  sign();
  fs::remove(record_ / "report.html");
  fs::create_symlink("/etc/passwd", record_ / "report.html");
  fs::create_directory_symlink("/etc", record_ / "evidence/etc");
  const VerifyResult r = verify();
  expect_problems(r, true, {"report.html"}, {}, {"evidence/etc"});
  EXPECT_EQ(r.diff.not_regular, (Paths{"evidence/etc", "report.html"}));
}

TEST_F(DirectorySigning, RefusesToSignANameTheManifestCannotHold) {
  record_.write("evil\nname.png", "x");
  EXPECT_THROW(sign(), InputError);
  fs::remove(record_ / "evil\nname.png");
  sign();
  record_.write("evil\nname.png", "x");
  expect_problems(verify(), true, {}, {}, {"evil\nname.png"});
}

TEST_F(DirectorySigning, AnUnreadableManifestUnderABadSignatureIsReported) {
  sign();
  record_.write("MANIFEST", "not a manifest\n");
  const VerifyResult r = verify();
  EXPECT_FALSE(r.signature_ok());
  EXPECT_EQ(r.manifest_problem,
            (record_ / "MANIFEST").string() +
                ":1: not a camleak manifest: the first line must be \"camleak-manifest 1\"");
  EXPECT_FALSE(r.ok());
}

// A MANIFEST in a format this camleak does not know, validly signed, is bad input (exit 2): a
// newer camleak wrote it, nothing was tampered with.
TEST_F(DirectorySigning, ASignedManifestOfAnotherVersionIsBadInput) {
  const std::string manifest = "camleak-manifest 2\nsomething new\n";
  record_.write("MANIFEST", manifest);
  const PrivateKey key = PrivateKey::load_pem_file(key_.private_key);
  record_.write("MANIFEST.sig", signature_text(key.sign(bytes_of(manifest))) + "\n");
  try {
    verify();
    FAIL() << "verified a manifest of an unknown version";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(":1: manifest format version \"2\""), std::string::npos)
        << e.what();
  }
}

TEST_F(DirectorySigning, BadInputIsAnInputError) {
  EXPECT_THROW(verify(), InputError);  // never signed: no MANIFEST
  sign();
  EXPECT_THROW(verify_directory(record_ / "absent", key_.public_key), InputError);
  EXPECT_THROW(verify_directory(record_ / "report.html", key_.public_key), InputError);
  EXPECT_THROW(verify_directory(record_.path(), key_.private_key), InputError);
  EXPECT_THROW(sign_directory(record_.path(), key_.public_key), InputError);
  EXPECT_THROW(sign_directory(record_ / "absent", key_.private_key), InputError);
}

}  // namespace
}  // namespace camleak::certify
