#include "emulators/media/identity_stamper.hpp"

#include "emulators/media/media_error.hpp"

namespace camleak::media {

IdentityStamper::IdentityStamper(std::shared_ptr<const H264Loop> loop, const RunKey& key,
                                 std::string camera, std::string owner)
    : loop_(std::move(loop)), hmac_(key), camera_(std::move(camera)), owner_(std::move(owner)) {
  if (!loop_ || loop_->size() == 0) throw MediaError("IdentityStamper needs an encoded loop");
  // Validates camera and owner now rather than on the first frame.
  serialize_identity_fields(IdentityFields{.camera = camera_, .owner = owner_});
}

StampedAccessUnit IdentityStamper::stamp(uint64_t frame_index, uint64_t sequence,
                                         Micros capture_time) {
  const LoopFrame& frame = loop_->frame(frame_index);
  const Bytes fields = serialize_identity_fields(IdentityFields{
      .camera = camera_, .owner = owner_, .sequence = sequence, .capture_time = capture_time});
  const Mac mac = identity_mac(hmac_, fields, frame.slice_digest);

  StampedAccessUnit unit;
  unit.keyframe = frame.keyframe;
  unit.sequence = sequence;
  unit.capture_time = capture_time;
  unit.nals.reserve(frame.vcl.size() + 3);
  if (frame.keyframe) {
    unit.nals.push_back(loop_->sps());
    unit.nals.push_back(loop_->pps());
  }
  unit.nals.push_back(build_identity_sei_nal(fields, mac));
  unit.nals.insert(unit.nals.end(), frame.vcl.begin(), frame.vcl.end());
  return unit;
}

}  // namespace camleak::media
