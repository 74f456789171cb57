#include "emulators/media/frame_identifier.hpp"

#include "emulators/media/identity_sei.hpp"
#include "emulators/media/pixel_code.hpp"

namespace camleak::media {

FrameIdentifier::FrameIdentifier(const RunKey& key, const DecoderLimits& limits)
    : hmac_(key), decoder_(limits) {}

FrameIdentity FrameIdentifier::identify(std::span<const Bytes> nals) {
  FrameIdentity result;
  bool any_valid = false;
  bool any_slice = false;
  for (const Bytes& nal : nals) {
    any_valid = any_valid || h264::has_valid_header(nal);
    any_slice = any_slice || (h264::has_valid_header(nal) && h264::is_vcl(nal));
  }
  picture_ = Picture();
  if (!any_valid) return result;  // not_media

  result.sei = read_sei_identity(nals, hmac_, hasher_);
  const DecodeStatus decoded = decoder_.decode(nals, picture_);
  if (!any_slice) return result;  // parameter sets / SEI only: no picture in this unit
  result.status = decoded;
  if (!picture_.empty()) result.pixel_code = read_pixel_code(picture_);
  return result;
}

}  // namespace camleak::media
