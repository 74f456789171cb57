#include "emulators/media/still_image.hpp"

#include <algorithm>
#include <cmath>

#include "emulators/media/media_error.hpp"
#include "emulators/media/pixel_code.hpp"
#include "emulators/media/scale.hpp"
#include "harness/core/errors.hpp"

namespace camleak::media {
namespace {

// The example tables of ITU-T T.81 Annex K (raster order): what libjpeg scales for its quality.
// clang-format off
constexpr uint16_t kLumaTable[64] = {
    16, 11, 10, 16,  24,  40,  51,  61,
    12, 12, 14, 19,  26,  58,  60,  55,
    14, 13, 16, 24,  40,  57,  69,  56,
    14, 17, 22, 29,  51,  87,  80,  62,
    18, 22, 37, 56,  68, 109, 103,  77,
    24, 35, 55, 64,  81, 104, 113,  92,
    49, 64, 78, 87, 103, 121, 120, 101,
    72, 92, 95, 98, 112, 100, 103,  99};
constexpr uint16_t kChromaTable[64] = {
    17, 18, 24, 47, 99, 99, 99, 99,
    18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99,
    47, 66, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99};
// clang-format on

// libjpeg's quality scaling (jcparam.c): 5000/q below 50, 200-2q above, entries 1..255.
void scale_table(const uint16_t (&base)[64], int quality, uint16_t* out) {
  const int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
  for (int i = 0; i < 64; ++i) {
    out[i] = static_cast<uint16_t>(std::clamp((base[i] * scale + 50) / 100, 1, 255));
  }
}

// FFmpeg's mjpeg encoder writes (matrix * qscale) >> 3 as its tables, so with qscale 8 the
// tables we hand it are the tables in the file: libjpeg-equivalent quality.
constexpr int kUnityQscale = 8;

Bytes receive_one_packet(AVCodecContext* context, AVPacket* packet, const char* what) {
  check_av(avcodec_receive_packet(context, packet), what);
  Bytes out(packet->data, packet->data + packet->size);
  av_packet_unref(packet);
  return out;
}

}  // namespace

JpegEncoder::JpegEncoder(int quality)
    : quality_(quality), converted_(make_frame()), packet_(make_packet()) {
  if (quality < 1 || quality > 100) {
    throw InputError(Diagnostic{.field = "jpeg_quality",
                                .message = "must be 1..100, got " + std::to_string(quality)});
  }
  scale_table(kChromaTable, quality, chroma_matrix_.data());
}

void JpegEncoder::open(int width, int height) {
  context_ = make_codec_context(avcodec_find_encoder(AV_CODEC_ID_MJPEG), "mjpeg");
  AVCodecContext* c = context_.get();
  c->width = width;
  c->height = height;
  c->pix_fmt = AV_PIX_FMT_YUVJ420P;  // JPEG is full range
  c->color_range = AVCOL_RANGE_JPEG;
  c->time_base = AVRational{1, 25};
  c->flags |= AV_CODEC_FLAG_QSCALE;
  c->global_quality = kUnityQscale * FF_QP2LAMBDA;
  // intra_matrix is freed by avcodec_free_context; chroma_intra_matrix stays ours.
  c->intra_matrix = static_cast<uint16_t*>(av_malloc(64 * sizeof(uint16_t)));
  if (!c->intra_matrix) throw MediaError("av_malloc", AVERROR(ENOMEM));
  scale_table(kLumaTable, quality_, c->intra_matrix);
  c->chroma_intra_matrix = chroma_matrix_.data();
  c->qmin = 1;
  c->qmax = 31;
  c->thread_count = 1;
  check_av(avcodec_open2(c, c->codec, nullptr), "avcodec_open2(mjpeg)");

  av_frame_unref(converted_.get());
  converted_->width = width;
  converted_->height = height;
  converted_->format = AV_PIX_FMT_YUVJ420P;
  check_av(av_frame_get_buffer(converted_.get(), 0), "av_frame_get_buffer");
}

Bytes JpegEncoder::encode(const Picture& picture) {
  if (picture.empty()) throw MediaError("JpegEncoder::encode: empty picture");
  if (!context_ || context_->width != picture.width() || context_->height != picture.height()) {
    open(picture.width(), picture.height());
  }
  // The encoder may keep a reference to the last frame: draw into private buffers.
  check_av(av_frame_make_writable(converted_.get()), "av_frame_make_writable");
  convert_picture(picture, converted_.get(), scaler_);
  converted_->quality = context_->global_quality;
  converted_->pts = next_pts_++;
  check_av(avcodec_send_frame(context_.get(), converted_.get()), "avcodec_send_frame(mjpeg)");
  return receive_one_packet(context_.get(), packet_.get(), "avcodec_receive_packet(mjpeg)");
}

SnapshotIdentity identify_jpeg(ByteView jpeg, const DecoderLimits& limits) {
  SnapshotIdentity result;
  // SOI marker followed by the first marker's 0xFF.
  if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 || jpeg[2] != 0xFF) return result;
  result.status = DecodeStatus::corrupt;
  if (jpeg.size() > limits.max_input_bytes) return result;

  CodecContextPtr context = make_codec_context(avcodec_find_decoder(AV_CODEC_ID_MJPEG), "mjpeg");
  context->thread_count = 1;
  context->max_pixels = static_cast<int64_t>(limits.max_width) * limits.max_height;
  check_av(avcodec_open2(context.get(), context->codec, nullptr), "avcodec_open2(mjpeg decoder)");
  PacketPtr packet = make_packet();
  check_av(av_new_packet(packet.get(), static_cast<int>(jpeg.size())), "av_new_packet");
  std::copy(jpeg.begin(), jpeg.end(), packet->data);

  const int sent = avcodec_send_packet(context.get(), packet.get());
  if (sent == AVERROR(ENOMEM)) throw MediaError("avcodec_send_packet(mjpeg)", sent);
  if (sent < 0) return result;
  // Drain: a one-image stream, so flushing returns whatever the decoder holds.
  avcodec_send_packet(context.get(), nullptr);
  FramePtr frame = make_frame();
  const int received = avcodec_receive_frame(context.get(), frame.get());
  if (received == AVERROR(ENOMEM)) throw MediaError("avcodec_receive_frame(mjpeg)", received);
  if (received < 0 || (frame->flags & AV_FRAME_FLAG_CORRUPT) || frame->decode_error_flags) {
    return result;
  }
  result.status = DecodeStatus::ok;
  result.picture = Picture(std::move(frame));
  result.pixel_code = read_pixel_code(result.picture);
  return result;
}

Bytes encode_png(const Picture& picture) {
  if (picture.empty()) throw MediaError("encode_png: empty picture");
  FramePtr rgb = make_frame();
  rgb->width = picture.width();
  rgb->height = picture.height();
  rgb->format = AV_PIX_FMT_RGB24;
  check_av(av_frame_get_buffer(rgb.get(), 0), "av_frame_get_buffer");
  SwsContextPtr scaler;
  convert_picture(picture, rgb.get(), scaler);

  CodecContextPtr context = make_codec_context(avcodec_find_encoder(AV_CODEC_ID_PNG), "png");
  context->width = picture.width();
  context->height = picture.height();
  context->pix_fmt = AV_PIX_FMT_RGB24;
  context->time_base = AVRational{1, 25};
  check_av(avcodec_open2(context.get(), context->codec, nullptr), "avcodec_open2(png)");
  check_av(avcodec_send_frame(context.get(), rgb.get()), "avcodec_send_frame(png)");
  PacketPtr packet = make_packet();
  return receive_one_packet(context.get(), packet.get(), "avcodec_receive_packet(png)");
}

}  // namespace camleak::media
