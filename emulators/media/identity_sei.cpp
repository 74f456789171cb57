#include "emulators/media/identity_sei.hpp"

#include <algorithm>

#include "harness/core/errors.hpp"

namespace camleak::media {
namespace {

constexpr uint8_t kUserDataUnregistered = 5;
constexpr uint8_t kRbspStopByte = 0x80;

void put_u64(Bytes& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

void put_string(Bytes& out, const std::string& value, const char* field) {
  if (value.empty() || value.size() > kMaxIdentityStringBytes) {
    throw InputError(Diagnostic{.field = field,
                                .message = "must be 1 to 255 bytes for the identity SEI, got " +
                                           std::to_string(value.size())});
  }
  out.push_back(static_cast<uint8_t>(value.size()));
  out.insert(out.end(), value.begin(), value.end());
}

// ff-coded value of an SEI message header (7.3.2.3.1).
void put_sei_number(Bytes& out, std::size_t value) {
  while (value >= 255) {
    out.push_back(0xFF);
    value -= 255;
  }
  out.push_back(static_cast<uint8_t>(value));
}

// Bounds-checked reader over an unescaped payload.
class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}
  std::size_t remaining() const { return data_.size() - position_; }
  bool read_u8(uint8_t& out) {
    if (remaining() < 1) return false;
    out = data_[position_++];
    return true;
  }
  bool read_u64(uint64_t& out) {
    if (remaining() < 8) return false;
    out = 0;
    for (int i = 0; i < 8; ++i) out = out << 8 | data_[position_++];
    return true;
  }
  bool read_bytes(std::size_t count, ByteView& out) {
    if (remaining() < count) return false;
    out = data_.subspan(position_, count);
    position_ += count;
    return true;
  }
  bool read_string(std::string& out) {
    uint8_t length = 0;
    ByteView bytes;
    if (!read_u8(length) || length == 0 || !read_bytes(length, bytes)) return false;
    out.assign(bytes.begin(), bytes.end());
    return true;
  }
  // An ff-coded SEI number; nullopt when the data ends first.
  bool read_sei_number(std::size_t& out) {
    out = 0;
    uint8_t byte = 0;
    do {
      if (!read_u8(byte)) return false;
      out += byte;
    } while (byte == 0xFF);
    return true;
  }

 private:
  ByteView data_;
  std::size_t position_ = 0;
};

// Payload of one user_data_unregistered message with our UUID, UUID stripped.
std::optional<IdentitySei> parse_payload(ByteView payload) {
  Reader reader(payload);
  IdentitySei sei;
  uint8_t version = 0;
  uint64_t capture = 0;
  ByteView mac;
  if (!reader.read_u8(version) || version != kIdentityVersion ||
      !reader.read_string(sei.fields.camera) || !reader.read_string(sei.fields.owner) ||
      !reader.read_u64(sei.fields.sequence) || !reader.read_u64(capture) ||
      !reader.read_bytes(sei.mac.size(), mac) || reader.remaining() != 0) {
    return std::nullopt;
  }
  sei.fields.version = version;
  sei.fields.capture_time = Micros{static_cast<int64_t>(capture)};
  std::copy(mac.begin(), mac.end(), sei.mac.begin());
  return sei;
}

}  // namespace

Bytes serialize_identity_fields(const IdentityFields& fields) {
  if (fields.version != kIdentityVersion) {
    throw InputError(Diagnostic{.field = "version", .message = "only identity version 1 exists"});
  }
  Bytes out;
  out.reserve(3 + fields.camera.size() + fields.owner.size() + 16);
  out.push_back(static_cast<uint8_t>(fields.version));
  put_string(out, fields.camera, "camera");
  put_string(out, fields.owner, "owner");
  put_u64(out, fields.sequence);
  put_u64(out, static_cast<uint64_t>(fields.capture_time.count()));
  return out;
}

Mac identity_mac(HmacSha256& hmac, ByteView serialized_fields, const Digest& slice_digest) {
  const ByteView parts[] = {serialized_fields, ByteView(slice_digest)};
  return hmac.mac(parts);
}

Bytes build_identity_sei_nal(ByteView serialized_fields, const Mac& mac) {
  const std::size_t payload_size = kIdentitySeiUuid.size() + serialized_fields.size() + mac.size();
  Bytes rbsp;
  rbsp.reserve(payload_size + 8);
  put_sei_number(rbsp, kUserDataUnregistered);
  put_sei_number(rbsp, payload_size);
  rbsp.insert(rbsp.end(), kIdentitySeiUuid.begin(), kIdentitySeiUuid.end());
  rbsp.insert(rbsp.end(), serialized_fields.begin(), serialized_fields.end());
  rbsp.insert(rbsp.end(), mac.begin(), mac.end());
  rbsp.push_back(kRbspStopByte);
  Bytes nal{h264::nal_type::sei};  // nal_ref_idc 0: SEI is not a reference
  const Bytes escaped = h264::escape_rbsp(rbsp);
  nal.insert(nal.end(), escaped.begin(), escaped.end());
  return nal;
}

std::optional<IdentitySei> parse_identity_sei(ByteView nal) {
  if (!h264::has_valid_header(nal) || h264::nal_unit_type(nal) != h264::nal_type::sei)
    return std::nullopt;
  const Bytes rbsp = h264::unescape_rbsp(nal.subspan(1));
  Reader reader(rbsp);
  // sei_message() repeats until only the rbsp trailing bits (0x80) are left.
  while (reader.remaining() > 1) {
    std::size_t type = 0;
    std::size_t size = 0;
    ByteView payload;
    if (!reader.read_sei_number(type) || !reader.read_sei_number(size) ||
        !reader.read_bytes(size, payload)) {
      return std::nullopt;
    }
    if (type == kUserDataUnregistered && payload.size() >= kIdentitySeiUuid.size() &&
        std::equal(kIdentitySeiUuid.begin(), kIdentitySeiUuid.end(), payload.begin())) {
      return parse_payload(payload.subspan(kIdentitySeiUuid.size()));
    }
  }
  return std::nullopt;
}

std::optional<SeiIdentity> read_sei_identity(std::span<const Bytes> nals, HmacSha256& hmac,
                                             SliceHasher& hasher) {
  for (const Bytes& nal : nals) {
    if (h264::nal_unit_type(nal) != h264::nal_type::sei) continue;
    std::optional<IdentitySei> sei = parse_identity_sei(nal);
    if (!sei) continue;
    const Bytes fields = serialize_identity_fields(sei->fields);
    const Mac expected = identity_mac(hmac, fields, hasher.slice_digest(nals));
    return SeiIdentity{.version = sei->fields.version,
                       .camera = std::move(sei->fields.camera),
                       .owner = std::move(sei->fields.owner),
                       .sequence = sei->fields.sequence,
                       .capture_time = sei->fields.capture_time,
                       .hmac_valid = equal_macs(expected, sei->mac)};
  }
  return std::nullopt;
}

}  // namespace camleak::media
