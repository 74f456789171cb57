#include "emulators/media/h264_loop.hpp"

#include "emulators/media/media_error.hpp"
#include "emulators/media/test_pattern.hpp"
#include "harness/core/errors.hpp"

namespace camleak::media {

std::shared_ptr<const H264Loop> H264Loop::encode(const LoopConfig& config) {
  if (config.gops < 1 || config.gops > 100) {
    throw InputError(Diagnostic{.field = "gops",
                                .message = "must be 1..100, got " + std::to_string(config.gops)});
  }
  H264Encoder encoder(config.encoder);
  auto loop = std::make_shared<H264Loop>(Private{});
  loop->config_ = config;
  const int count = config.encoder.gop * config.gops;
  loop->frames_.reserve(count);
  SliceHasher hasher;
  Picture picture =
      Picture::allocate(config.encoder.width, config.encoder.height, AV_PIX_FMT_YUV420P);

  auto take = [&](std::vector<EncodedPicture> encoded) {
    for (EncodedPicture& out : encoded) {
      LoopFrame frame;
      frame.keyframe = out.keyframe;
      for (Bytes& nal : out.nals) {
        const uint8_t type = h264::nal_unit_type(nal);
        if (type == h264::nal_type::sps && loop->sps_.empty()) loop->sps_ = nal;
        if (type == h264::nal_type::pps && loop->pps_.empty()) loop->pps_ = nal;
        // x264's own SEI (its version string) and any AUD are dropped: the stamper adds ours.
        if (h264::is_vcl(nal)) frame.vcl.push_back(std::move(nal));
      }
      if (frame.vcl.empty()) throw MediaError("libx264 produced a picture without coded slices");
      frame.slice_digest = hasher.slice_digest(frame.vcl);
      loop->frames_.push_back(std::move(frame));
    }
  };
  for (int i = 0; i < count; ++i) {
    // render_test_pattern makes the picture writable, so a buffer the encoder still holds is
    // never drawn over.
    render_test_pattern(picture, static_cast<uint64_t>(i), config.camera_code);
    take(encoder.encode(picture));
  }
  take(encoder.flush());

  if (static_cast<int>(loop->frames_.size()) != count) {
    throw MediaError("libx264 returned " + std::to_string(loop->frames_.size()) + " pictures for " +
                     std::to_string(count) + " frames");
  }
  if (!loop->frames_.front().keyframe ||
      h264::nal_unit_type(loop->frames_.front().vcl.front()) != h264::nal_type::slice_idr) {
    throw MediaError("libx264 did not start the loop with an IDR picture");
  }
  if (loop->sps_.size() < 4 || loop->pps_.empty()) {
    throw MediaError("libx264 did not emit SPS/PPS in-band");
  }
  return loop;
}

uint32_t H264Loop::profile_level_id() const {
  return static_cast<uint32_t>(sps_[1]) << 16 | static_cast<uint32_t>(sps_[2]) << 8 | sps_[3];
}

}  // namespace camleak::media
