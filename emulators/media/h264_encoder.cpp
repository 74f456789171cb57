#include "emulators/media/h264_encoder.hpp"

#include <vector>

#include "emulators/media/media_error.hpp"
#include "harness/core/errors.hpp"

extern "C" {
#include <libavutil/opt.h>
}

namespace camleak::media {
namespace {

void set_option(AVCodecContext* context, const char* name, const std::string& value) {
  check_av(av_opt_set(context->priv_data, name, value.c_str(), 0),
           std::string("libx264 option ") + name + "=" + value);
}

}  // namespace

void validate(const H264EncoderConfig& config) {
  std::vector<Diagnostic> problems;
  auto require = [&](bool ok, const char* field, const std::string& message) {
    if (!ok) problems.push_back(Diagnostic{.field = field, .message = message});
  };
  require(config.width >= 16 && config.width <= 4096 && config.width % 2 == 0, "width",
          "must be even and 16..4096, got " + std::to_string(config.width));
  require(config.height >= 16 && config.height <= 2304 && config.height % 2 == 0, "height",
          "must be even and 16..2304, got " + std::to_string(config.height));
  require(config.fps >= 1 && config.fps <= 120, "fps",
          "must be 1..120, got " + std::to_string(config.fps));
  require(config.gop >= 1 && config.gop <= 1000, "gop",
          "must be 1..1000 frames, got " + std::to_string(config.gop));
  require(config.bitrate_bps >= 10'000 && config.bitrate_bps <= 100'000'000, "bitrate",
          "must be 10kbps..100Mbps, got " + std::to_string(config.bitrate_bps) + " bps");
  require(config.threads >= 1 && config.threads <= 16, "threads",
          "must be 1..16, got " + std::to_string(config.threads));
  static const char* const kPresets[] = {"ultrafast", "superfast", "veryfast", "faster",  "fast",
                                         "medium",    "slow",      "slower",   "veryslow"};
  bool preset_known = false;
  for (const char* preset : kPresets) preset_known = preset_known || config.preset == preset;
  require(preset_known, "preset", "unknown x264 preset '" + config.preset + "'");
  if (!problems.empty()) throw InputError(std::move(problems));
}

H264Encoder::H264Encoder(const H264EncoderConfig& config)
    : config_(config), packet_(make_packet()), frame_(make_frame()) {
  validate(config_);
  context_ = make_codec_context(avcodec_find_encoder_by_name("libx264"), "libx264");
  AVCodecContext* c = context_.get();
  c->width = config_.width;
  c->height = config_.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = AVRational{1, config_.fps};
  c->framerate = AVRational{config_.fps, 1};
  c->gop_size = config_.gop;
  c->keyint_min = config_.gop;
  c->max_b_frames = 0;
  c->bit_rate = config_.bitrate_bps;
  c->rc_max_rate = config_.bitrate_bps;
  c->rc_buffer_size = static_cast<int>(config_.bitrate_bps);  // one second of VBV
  c->thread_count = config_.threads;
  // No AV_CODEC_FLAG_GLOBAL_HEADER: x264 then writes SPS/PPS in-band before every IDR, which is
  // what lets a viewer join at any keyframe.
  set_option(c, "preset", config_.preset);
  set_option(c, "tune", "zerolatency");
  set_option(c, "profile", "baseline");
  // Fixed GOP (no scene-cut IDRs), so every camera's loop has keyframes at the same places.
  set_option(c, "x264-params", "scenecut=0:repeat-headers=1:aud=0");
  check_av(avcodec_open2(c, c->codec, nullptr), "avcodec_open2(libx264)");
}

std::vector<EncodedPicture> H264Encoder::encode(const Picture& picture) {
  if (picture.format() != AV_PIX_FMT_YUV420P || picture.width() != config_.width ||
      picture.height() != config_.height) {
    throw MediaError("H264Encoder::encode: expected a " + std::to_string(config_.width) + "x" +
                     std::to_string(config_.height) + " YUV420P picture");
  }
  av_frame_unref(frame_.get());
  check_av(av_frame_ref(frame_.get(), picture.frame()), "av_frame_ref");
  frame_->pts = next_pts_++;
  frame_->pict_type = AV_PICTURE_TYPE_NONE;
  check_av(avcodec_send_frame(context_.get(), frame_.get()), "avcodec_send_frame(libx264)");
  av_frame_unref(frame_.get());
  return receive_all();
}

std::vector<EncodedPicture> H264Encoder::flush() {
  const int rc = avcodec_send_frame(context_.get(), nullptr);
  if (rc != AVERROR_EOF) check_av(rc, "avcodec_send_frame(libx264, flush)");
  return receive_all();
}

std::vector<EncodedPicture> H264Encoder::receive_all() {
  std::vector<EncodedPicture> out;
  for (;;) {
    const int rc = avcodec_receive_packet(context_.get(), packet_.get());
    if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) break;
    check_av(rc, "avcodec_receive_packet(libx264)");
    EncodedPicture encoded;
    encoded.keyframe = (packet_->flags & AV_PKT_FLAG_KEY) != 0;
    encoded.nals =
        h264::split_annexb(ByteView(packet_->data, static_cast<std::size_t>(packet_->size)));
    av_packet_unref(packet_.get());
    out.push_back(std::move(encoded));
  }
  return out;
}

}  // namespace camleak::media
