// Ed25519 keys and signatures: round trips, every kind of forgery failing, key files of the wrong
// kind refused by name, and the RFC 8032 test vector (so the signatures are plain Ed25519 that
// any other implementation checks).
#include "harness/certify/signing.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <memory>

#include "harness/core/errors.hpp"
#include "tests/support/temp_dir.hpp"

namespace camleak::certify {
namespace {

using camleak::testing::TempDir;

ByteView bytes_of(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// The InputError text of `load` ("" when it does not throw one).
template <class Load>
std::string input_error(Load load) {
  try {
    load();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

struct FreeKey {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct FreeBio {
  void operator()(BIO* bio) const { BIO_free_all(bio); }
};

// The PEM text `write` puts into a memory BIO.
template <class Write>
std::string pem_text(Write write) {
  std::unique_ptr<BIO, FreeBio> bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(write(bio.get()), 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

// A key of another algorithm, as PEM: the private key (PKCS#8) or its public key.
std::string foreign_key_pem(std::unique_ptr<EVP_PKEY, FreeKey> key, bool public_only) {
  EXPECT_TRUE(key);
  return pem_text([&](BIO* bio) {
    return public_only ? PEM_write_bio_PUBKEY(bio, key.get())
                       : PEM_write_bio_PKCS8PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr,
                                                       nullptr);
  });
}

std::unique_ptr<EVP_PKEY, FreeKey> rsa_key() {
  // 1024 bits: the test is about the type, and a small key is made in milliseconds.
  return std::unique_ptr<EVP_PKEY, FreeKey>(
      EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024}));
}

std::unique_ptr<EVP_PKEY, FreeKey> ec_key() {
  return std::unique_ptr<EVP_PKEY, FreeKey>(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

TEST(Signing, SignatureVerifiesWithItsKey) {
  const PrivateKey key = PrivateKey::generate();
  const std::string message = "camleak-manifest 1\n";
  const Signature signature = key.sign(bytes_of(message));
  EXPECT_TRUE(key.public_key().verify(bytes_of(message), signature));
  const Signature empty = key.sign({});
  EXPECT_TRUE(key.public_key().verify({}, empty));
}

TEST(Signing, AFlippedBitInMessageOrSignatureFails) {
  const PrivateKey key = PrivateKey::generate();
  const PublicKey public_key = key.public_key();
  const std::string message = "every frame judged, every byte signed";
  const Signature signature = key.sign(bytes_of(message));
  for (size_t i = 0; i < message.size(); ++i) {
    std::string flipped = message;
    flipped[i] ^= 0x01;
    EXPECT_FALSE(public_key.verify(bytes_of(flipped), signature)) << "message byte " << i;
  }
  for (size_t i = 0; i < signature.size(); ++i) {
    for (int bit = 0; bit < 8; bit += 7) {
      Signature flipped = signature;
      flipped[i] ^= static_cast<uint8_t>(1 << bit);
      EXPECT_FALSE(public_key.verify(bytes_of(message), flipped)) << "signature byte " << i;
    }
  }
  EXPECT_FALSE(public_key.verify(bytes_of(message), ByteView(signature).first(63)));
  EXPECT_FALSE(public_key.verify(bytes_of(message), {}));
}

TEST(Signing, AnotherKeyFails) {
  const PrivateKey key = PrivateKey::generate();
  const PrivateKey other = PrivateKey::generate();
  const std::string message = "MANIFEST";
  EXPECT_FALSE(other.public_key().verify(bytes_of(message), key.sign(bytes_of(message))));
  EXPECT_NE(key.public_key().fingerprint(), other.public_key().fingerprint());
}

// RFC 8032 section 7.1, TEST 1: the public key and its signature of the empty message.
TEST(Signing, VerifiesTheRfc8032TestVector) {
  const PublicKey key = PublicKey::from_pem(
      "-----BEGIN PUBLIC KEY-----\n"
      "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
      "-----END PUBLIC KEY-----\n",
      "rfc8032");
  EXPECT_EQ(lower_hex(key.raw()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  // The first 16 hex digits of SHA-256 over those 32 bytes.
  EXPECT_EQ(key.fingerprint(), "21fe31dfa154a261");
  const std::optional<Signature> signature = parse_signature_text(
      "5VZDAMNgrHKQhuLMgG6CioSHfx645dl02HPgZSJJAVVfuIIVkKM7rMYeOXAc+bRr0lv18FlbviRlUUFDjnoQCw==");
  ASSERT_TRUE(signature);
  EXPECT_EQ(lower_hex(*signature),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3"
            "9701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(key.verify({}, *signature));
}

TEST(Signing, SignatureTextIsOneCanonicalBase64Line) {
  const Signature signature = PrivateKey::generate().sign(bytes_of("x"));
  const std::string text = signature_text(signature);
  EXPECT_EQ(text.size(), 88u);
  EXPECT_TRUE(text.ends_with("=="));
  EXPECT_EQ(parse_signature_text(text), signature);
  EXPECT_EQ(parse_signature_text(text.substr(1)), std::nullopt);
  EXPECT_EQ(parse_signature_text(text + "="), std::nullopt);
  EXPECT_EQ(parse_signature_text(" " + text.substr(1)), std::nullopt);
  std::string bad_char = text;
  bad_char[10] = '*';
  EXPECT_EQ(parse_signature_text(bad_char), std::nullopt);
  // The last data character carries 4 padding bits that must be zero: only one spelling counts.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string padded = text;
  const size_t last = padded.size() - 3;
  padded[last] = alphabet[alphabet.find(padded[last]) | 1];
  EXPECT_EQ(parse_signature_text(padded), std::nullopt);
  EXPECT_EQ(parse_signature_text(""), std::nullopt);
}

TEST(Signing, KeysRoundTripThroughTheirPemFiles) {
  const TempDir dir("camleak-signing");
  const PrivateKey key = PrivateKey::generate();
  key.write_pem_file(dir / "key.pem");
  key.public_key().write_pem_file(dir / "key.pub");
  EXPECT_EQ(mode_of(dir / "key.pem") & 077, 0u) << "the private key is readable by others";
  EXPECT_NE(dir.read("key.pem").find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  EXPECT_NE(dir.read("key.pub").find("-----BEGIN PUBLIC KEY-----"), std::string::npos);

  const PrivateKey loaded = PrivateKey::load_pem_file(dir / "key.pem");
  const PublicKey loaded_public = PublicKey::load_pem_file(dir / "key.pub");
  EXPECT_EQ(loaded.public_key().raw(), key.public_key().raw());
  EXPECT_EQ(loaded_public.raw(), key.public_key().raw());
  EXPECT_EQ(loaded_public.pem(), dir.read("key.pub"));
  EXPECT_TRUE(loaded_public.verify(bytes_of("m"), loaded.sign(bytes_of("m"))));
}

TEST(Signing, NeverOverwritesAKeyFile) {
  const TempDir dir("camleak-signing");
  dir.write("key.pem", "precious");
  const std::string error =
      input_error([&] { PrivateKey::generate().write_pem_file(dir / "key.pem"); });
  EXPECT_EQ(error, (dir / "key.pem").string() +
                       ": already exists; camleak never overwrites a key file (remove it, or "
                       "choose another path)");
  EXPECT_EQ(dir.read("key.pem"), "precious");
  dir.write("key.pub", "precious too");
  EXPECT_NE(
      input_error([&] { PrivateKey::generate().public_key().write_pem_file(dir / "key.pub"); }),
      "");
  EXPECT_EQ(dir.read("key.pub"), "precious too");
  EXPECT_EQ(input_error([&] { PrivateKey::generate().write_pem_file(dir / "no/such/key.pem"); }),
            (dir / "no/such/key.pem").string() + ": cannot create: No such file or directory");
}

TEST(Signing, RefusesKeysOfOtherAlgorithmsByFileName) {
  const TempDir dir("camleak-signing");
  dir.write("rsa.pem", foreign_key_pem(rsa_key(), false));
  dir.write("ec.pem", foreign_key_pem(ec_key(), false));
  dir.write("rsa.pub", foreign_key_pem(rsa_key(), true));
  dir.write("ec.pub", foreign_key_pem(ec_key(), true));
  for (const char* name : {"rsa.pem", "ec.pem"}) {
    const std::string error = input_error([&] { PrivateKey::load_pem_file(dir / name); });
    EXPECT_TRUE(error.starts_with((dir / name).string() + ": holds a key of type ")) << error;
    EXPECT_TRUE(error.ends_with(", not Ed25519 (camleak keygen makes one)")) << error;
  }
  for (const char* name : {"rsa.pub", "ec.pub"}) {
    const std::string error = input_error([&] { PublicKey::load_pem_file(dir / name); });
    EXPECT_TRUE(error.starts_with((dir / name).string() + ": holds a key of type ")) << error;
  }
  EXPECT_NE(input_error([&] { PrivateKey::load_pem_file(dir / "rsa.pem"); }).find("type RSA"),
            std::string::npos);
  EXPECT_NE(input_error([&] { PublicKey::load_pem_file(dir / "ec.pub"); }).find("type EC"),
            std::string::npos);
}

TEST(Signing, RefusesTheWrongHalfOfAPairByFileName) {
  const TempDir dir("camleak-signing");
  const PrivateKey key = PrivateKey::generate();
  key.write_pem_file(dir / "key.pem");
  key.public_key().write_pem_file(dir / "key.pub");
  EXPECT_EQ(input_error([&] { PublicKey::load_pem_file(dir / "key.pem"); }),
            (dir / "key.pem").string() +
                ": holds a private key; verifying takes the public key (the .pub file camleak "
                "keygen wrote beside it), which is the one to hand out");
  EXPECT_EQ(input_error([&] { PrivateKey::load_pem_file(dir / "key.pub"); }),
            (dir / "key.pub").string() +
                ": holds a public key; signing takes the private key (the --out file of camleak "
                "keygen)");
}

TEST(Signing, RefusesFilesThatHoldNoKey) {
  const TempDir dir("camleak-signing");
  dir.write("garbage.pem", "not a key at all\n");
  const std::string garbage = input_error([&] { PublicKey::load_pem_file(dir / "garbage.pem"); });
  EXPECT_TRUE(garbage.starts_with((dir / "garbage.pem").string() + ": holds no PEM public key ("))
      << garbage;
  EXPECT_TRUE(input_error([&] {
                PrivateKey::load_pem_file(dir / "garbage.pem");
              }).starts_with((dir / "garbage.pem").string() + ": holds no PEM private key ("));
  EXPECT_EQ(input_error([&] { PublicKey::load_pem_file(dir / "absent.pub"); }),
            (dir / "absent.pub").string() + ": cannot read: No such file or directory");
  EXPECT_EQ(input_error([&] { PublicKey::load_pem_file(dir.path()); }),
            dir.path().string() + ": cannot read: Is a directory");
  dir.write("huge.pem", std::string(100'000, 'A'));
  EXPECT_EQ(input_error([&] { PrivateKey::load_pem_file(dir / "huge.pem"); }),
            (dir / "huge.pem").string() + ": is too large to be a key file");
}

// An encrypted key would make OpenSSL ask for a password on the terminal: refused instead.
TEST(Signing, RefusesEncryptedPrivateKeysWithoutPrompting) {
  const TempDir dir("camleak-signing");
  std::unique_ptr<EVP_PKEY, FreeKey> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  char password[] = "secret";
  dir.write("encrypted.pem", pem_text([&](BIO* bio) {
              return PEM_write_bio_PKCS8PrivateKey(bio, key.get(), EVP_aes_256_cbc(), password, 6,
                                                   nullptr, nullptr);
            }));
  EXPECT_EQ(input_error([&] { PrivateKey::load_pem_file(dir / "encrypted.pem"); }),
            (dir / "encrypted.pem").string() +
                ": is encrypted; camleak reads unencrypted PKCS#8 keys (openssl pkey -in FILE "
                "-out PLAIN.pem decrypts one)");
}

TEST(KeyPairFiles, WritesBothHalvesBesideEachOther) {
  const TempDir dir("camleak-keygen");
  const KeyPairFiles files = generate_key_pair_files(dir / "vendor.pem");
  EXPECT_EQ(files.private_key, dir / "vendor.pem");
  EXPECT_EQ(files.public_key, dir / "vendor.pub");
  EXPECT_EQ(mode_of(files.private_key), 0600u);
  const PublicKey public_key = PublicKey::load_pem_file(files.public_key);
  EXPECT_EQ(files.fingerprint, public_key.fingerprint());
  EXPECT_EQ(files.fingerprint.size(), 16u);
  EXPECT_EQ(PrivateKey::load_pem_file(files.private_key).public_key().raw(), public_key.raw());
}

// Either half existing refuses the pair before anything is written.
TEST(KeyPairFiles, RefusesWhenEitherFileExists) {
  const TempDir dir("camleak-keygen");
  dir.write("a.pub", "someone's key");
  EXPECT_EQ(input_error([&] { generate_key_pair_files(dir / "a.pem"); }),
            (dir / "a.pub").string() +
                ": already exists; camleak never overwrites a key file (remove it, or choose "
                "another --out)");
  EXPECT_FALSE(std::filesystem::exists(dir / "a.pem"));
  dir.write("b.pem", "someone's private key");
  EXPECT_NE(input_error([&] { generate_key_pair_files(dir / "b.pem"); }), "");
  EXPECT_FALSE(std::filesystem::exists(dir / "b.pub"));
  EXPECT_EQ(dir.read("b.pem"), "someone's private key");
  EXPECT_EQ(input_error([&] { generate_key_pair_files(dir / "c.pub"); }),
            (dir / "c.pub").string() +
                ": ends in .pub, the name of the public key beside it; name the private key "
                "KEY.pem");
}

TEST(KeyPairFiles, PublicPathReplacesTheExtension) {
  EXPECT_EQ(public_key_path_for("keys/vendor.pem"), "keys/vendor.pub");
  EXPECT_EQ(public_key_path_for("keys/vendor"), "keys/vendor.pub");
  EXPECT_EQ(public_key_path_for("vendor.key.pem"), "vendor.key.pub");
}

TEST(Sha256, HashesInPiecesAndStartsOverAfterFinish) {
  Sha256 sha;
  sha.update(bytes_of("a"));
  sha.update(bytes_of("bc"));
  EXPECT_EQ(lower_hex(sha.finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(lower_hex(sha.finish()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace camleak::certify
