#include "emulators/media/identity_sei.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "harness/core/errors.hpp"

namespace camleak::media {
namespace {

const RunKey kKey = run_key_from_seed(42);

IdentityFields sample_fields() {
  return IdentityFields{.camera = "cam-7",
                        .owner = "alice",
                        .sequence = 123456789,
                        .capture_time = Micros{987654321}};
}

TEST(IdentitySei, BuildThenParseRoundTrips) {
  HmacSha256 hmac(kKey);
  const IdentityFields fields = sample_fields();
  const Bytes serialized = serialize_identity_fields(fields);
  Digest digest{};
  digest.fill(0x5A);
  const Mac mac = identity_mac(hmac, serialized, digest);
  const Bytes nal = build_identity_sei_nal(serialized, mac);
  EXPECT_EQ(h264::nal_unit_type(nal), h264::nal_type::sei);
  const std::optional<IdentitySei> parsed = parse_identity_sei(nal);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->fields, fields);
  EXPECT_EQ(parsed->mac, mac);
}

TEST(IdentitySei, ZeroHeavyFieldsNeedEmulationPreventionAndSurviveIt) {
  HmacSha256 hmac(kKey);
  // Sequence 1 and time 0 serialise as long zero runs, which must be escaped.
  const IdentityFields fields{
      .camera = "c", .owner = "o", .sequence = 1, .capture_time = Micros{0}};
  const Bytes serialized = serialize_identity_fields(fields);
  const Bytes nal = build_identity_sei_nal(serialized, identity_mac(hmac, serialized, Digest{}));
  int prevention_bytes = 0;
  for (std::size_t i = 1; i + 2 < nal.size(); ++i) {
    ASSERT_FALSE(nal[i] == 0 && nal[i + 1] == 0 && nal[i + 2] <= 2);
    if (nal[i] == 0 && nal[i + 1] == 0 && nal[i + 2] == 3) ++prevention_bytes;
  }
  EXPECT_GE(prevention_bytes, 3);
  // Through an Annex-B stream and back.
  const std::vector<Bytes> back = h264::split_annexb(h264::join_annexb(std::vector<Bytes>{nal}));
  ASSERT_EQ(back.size(), 1u);
  const auto parsed = parse_identity_sei(back[0]);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->fields, fields);
}

TEST(IdentitySei, MacMatchesOpenSslHmacTruncated) {
  HmacSha256 hmac(kKey);
  const Bytes message = {1, 2, 3, 4, 5};
  Digest digest{};
  digest[0] = 9;
  Bytes whole = message;
  whole.insert(whole.end(), digest.begin(), digest.end());
  uint8_t reference[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()), whole.data(), whole.size(),
       reference, &length);
  const Mac mac = identity_mac(hmac, message, digest);
  EXPECT_TRUE(std::equal(mac.begin(), mac.end(), reference));
  // Reusing the keyed context gives the same answer again.
  EXPECT_EQ(identity_mac(hmac, message, digest), mac);
}

TEST(IdentitySei, WrongUuidIsNotOurs) {
  HmacSha256 hmac(kKey);
  const Bytes serialized = serialize_identity_fields(sample_fields());
  Bytes nal = build_identity_sei_nal(serialized, identity_mac(hmac, serialized, Digest{}));
  ASSERT_TRUE(parse_identity_sei(nal));
  nal[5] ^= 0x01;  // header, type, size byte, then the UUID starts at index 3
  EXPECT_FALSE(parse_identity_sei(nal));
}

TEST(IdentitySei, MalformedPayloadsAreRejected) {
  HmacSha256 hmac(kKey);
  const Bytes serialized = serialize_identity_fields(sample_fields());
  const Bytes nal = build_identity_sei_nal(serialized, identity_mac(hmac, serialized, Digest{}));
  // Every truncation is rejected (no read past the end: ASan would catch it).
  for (std::size_t length = 0; length < nal.size() - 1; ++length) {
    EXPECT_FALSE(parse_identity_sei(ByteView(nal.data(), length))) << "length " << length;
  }
  // Not an SEI NAL unit.
  Bytes slice = nal;
  slice[0] = 0x65;
  EXPECT_FALSE(parse_identity_sei(slice));
  // An oversized payload length.
  Bytes oversized = nal;
  oversized[2] = 0xFE;
  EXPECT_FALSE(parse_identity_sei(oversized));
  // Unknown version.
  Bytes rbsp = h264::unescape_rbsp(ByteView(nal).subspan(1));
  rbsp[2 + 16] = 2;
  Bytes future{h264::nal_type::sei};
  const Bytes escaped = h264::escape_rbsp(rbsp);
  future.insert(future.end(), escaped.begin(), escaped.end());
  EXPECT_FALSE(parse_identity_sei(future));
}

TEST(IdentitySei, FindsOurMessageAfterAnotherSeiMessage) {
  HmacSha256 hmac(kKey);
  const Bytes serialized = serialize_identity_fields(sample_fields());
  const Bytes ours = build_identity_sei_nal(serialized, identity_mac(hmac, serialized, Digest{}));
  Bytes rbsp = h264::unescape_rbsp(ByteView(ours).subspan(1));
  // Prepend a recovery point SEI (type 6, 1 byte payload).
  rbsp.insert(rbsp.begin(), {6, 1, 0x84});
  Bytes nal{h264::nal_type::sei};
  const Bytes escaped = h264::escape_rbsp(rbsp);
  nal.insert(nal.end(), escaped.begin(), escaped.end());
  const auto parsed = parse_identity_sei(nal);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->fields, sample_fields());
}

TEST(IdentitySei, SerializeRejectsBadFieldsNamingThem) {
  IdentityFields fields = sample_fields();
  fields.camera = std::string(256, 'x');
  try {
    serialize_identity_fields(fields);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.diagnostics().at(0).field, "camera");
  }
  fields = sample_fields();
  fields.owner.clear();
  EXPECT_THROW(serialize_identity_fields(fields), InputError);
}

TEST(IdentitySei, ReadVerifiesAgainstTheSlicesOfTheSameAccessUnit) {
  HmacSha256 hmac(kKey);
  SliceHasher hasher;
  const std::vector<Bytes> slices = {{0x65, 0x88, 0x80, 0x10}, {0x65, 0x88, 0x90, 0x22}};
  const Bytes serialized = serialize_identity_fields(sample_fields());
  const Bytes sei = build_identity_sei_nal(
      serialized, identity_mac(hmac, serialized, hasher.slice_digest(slices)));
  std::vector<Bytes> unit = {{0x67, 0x42}, {0x68, 0xCE}, sei, slices[0], slices[1]};
  auto identity = read_sei_identity(unit, hmac, hasher);
  ASSERT_TRUE(identity);
  EXPECT_TRUE(identity->hmac_valid);
  EXPECT_EQ(identity->camera, "cam-7");
  EXPECT_EQ(identity->owner, "alice");
  EXPECT_EQ(identity->sequence, 123456789u);
  EXPECT_EQ(identity->capture_time, Micros{987654321});

  // One flipped bit in a slice.
  unit[4][3] ^= 0x01;
  identity = read_sei_identity(unit, hmac, hasher);
  ASSERT_TRUE(identity);
  EXPECT_FALSE(identity->hmac_valid);
  unit[4][3] ^= 0x01;
  // A slice dropped.
  unit.pop_back();
  EXPECT_FALSE(read_sei_identity(unit, hmac, hasher)->hmac_valid);

  // A different run key.
  HmacSha256 other(run_key_from_seed(43));
  unit.push_back(slices[1]);
  EXPECT_TRUE(read_sei_identity(unit, hmac, hasher)->hmac_valid);
  EXPECT_FALSE(read_sei_identity(unit, other, hasher)->hmac_valid);

  // No SEI at all.
  const std::vector<Bytes> bare = {slices[0]};
  EXPECT_FALSE(read_sei_identity(bare, hmac, hasher));
}

TEST(IdentitySei, TamperedFieldsFailTheMac) {
  HmacSha256 hmac(kKey);
  SliceHasher hasher;
  const std::vector<Bytes> slices = {{0x41, 0x9A, 0x01, 0x02}};
  const IdentityFields fields = sample_fields();
  const Mac mac =
      identity_mac(hmac, serialize_identity_fields(fields), hasher.slice_digest(slices));
  for (int field = 0; field < 4; ++field) {
    IdentityFields forged = fields;
    if (field == 0) forged.camera = "cam-8";
    if (field == 1) forged.owner = "mallory";
    if (field == 2) forged.sequence += 1;
    if (field == 3) forged.capture_time += Micros{1};
    // A forger re-serialises the changed fields but cannot recompute the MAC without the key.
    const std::vector<Bytes> unit = {build_identity_sei_nal(serialize_identity_fields(forged), mac),
                                     slices[0]};
    const auto identity = read_sei_identity(unit, hmac, hasher);
    ASSERT_TRUE(identity);
    EXPECT_FALSE(identity->hmac_valid) << "field " << field;
  }
}

}  // namespace
}  // namespace camleak::media
