#pragma once
// The identity SEI: an H.264 SEI message of type user_data_unregistered (payloadType 5) whose
// UUID is camleak's, carrying who a frame belongs to and an HMAC that binds those fields to the
// picture data of the same access unit.
//
// Payload after the 16-byte UUID (big-endian integers):
//   u8 version (1) | u8 n, n bytes camera id | u8 m, m bytes owner account |
//   u64 sequence | i64 capture time (µs, run clock) | 16 bytes MAC
// MAC = HMAC-SHA256(run key, payload bytes from version through capture time || slice digest),
// truncated to 16 bytes, where the slice digest is SliceHasher::slice_digest of the access unit.
// Pairing one camera's SEI with another camera's slices therefore fails the MAC. (A P-frame only
// codes the change from its reference: were two cameras' P-frames byte-identical, a swapped SEI
// would verify, but the decoded picture, built on the other camera's reference, would carry the
// other camera's pixel code, so the oracle still sees a splice. The test pattern moves each
// camera's scene at its own phase so that in practice their slices always differ.)
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "emulators/h264/nal.hpp"
#include "emulators/media/crypto.hpp"
#include "harness/core/clock.hpp"
#include "harness/core/observation.hpp"

namespace camleak::media {

// Fixed project UUID: 6361 6d6c 6561 6b2d is "camleak-" in ASCII, the rest random.
inline constexpr std::array<uint8_t, 16> kIdentitySeiUuid = {
    0x63, 0x61, 0x6d, 0x6c, 0x65, 0x61, 0x6b, 0x2d, 0x9f, 0x3e, 0x51, 0xc7, 0x0b, 0x84, 0x4a, 0xd2};
inline constexpr uint32_t kIdentityVersion = 1;
inline constexpr std::size_t kMaxIdentityStringBytes = 255;

struct IdentityFields {
  uint32_t version = kIdentityVersion;
  std::string camera;
  std::string owner;
  uint64_t sequence = 0;
  Micros capture_time{};
  bool operator==(const IdentityFields&) const = default;
};

struct IdentitySei {
  IdentityFields fields;
  Mac mac{};
};

// The fields as they appear in the payload (and as the MAC covers them). Throws InputError when
// camera or owner is empty or longer than 255 bytes, or the version is not 1.
Bytes serialize_identity_fields(const IdentityFields& fields);

// MAC over serialized fields and the slice digest.
Mac identity_mac(HmacSha256& hmac, ByteView serialized_fields, const Digest& slice_digest);

// A complete SEI NAL unit (header byte included, no start code, emulation prevention applied).
Bytes build_identity_sei_nal(ByteView serialized_fields, const Mac& mac);

// Parses a NAL unit. nullopt when it is not an SEI, holds no user_data_unregistered message with
// our UUID, or that message is malformed (wrong lengths, unknown version, truncated). Never reads
// out of bounds and allocates at most the size of the NAL unit: safe on hostile input.
std::optional<IdentitySei> parse_identity_sei(ByteView nal);

// Finds the first identity SEI in an access unit and checks its MAC against the slice digest of
// the same access unit. nullopt when the access unit carries no identity SEI.
std::optional<SeiIdentity> read_sei_identity(std::span<const Bytes> nals, HmacSha256& hmac,
                                             SliceHasher& hasher);

}  // namespace camleak::media
