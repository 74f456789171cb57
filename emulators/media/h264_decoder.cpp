#include "emulators/media/h264_decoder.hpp"

#include <cstring>

#include "emulators/media/media_error.hpp"

namespace camleak::media {

H264Decoder::H264Decoder(const DecoderLimits& limits)
    : limits_(limits), packet_(make_packet()), frame_(make_frame()) {
  context_ = make_codec_context(avcodec_find_decoder(AV_CODEC_ID_H264), "h264");
  AVCodecContext* c = context_.get();
  c->thread_count = 1;  // one core per stream; fleet parallelism comes from many streams
  c->thread_type = 0;
  c->flags |= AV_CODEC_FLAG_LOW_DELAY;  // no B-frames: output each picture as soon as it is in
  c->max_pixels = static_cast<int64_t>(limits_.max_width) * limits_.max_height;
  check_av(avcodec_open2(c, c->codec, nullptr), "avcodec_open2(h264)");
}

DecodeStatus H264Decoder::decode(std::span<const Bytes> nals, Picture& picture) {
  const std::size_t size = h264::annexb_size(nals);
  if (size == 0 || size > limits_.max_input_bytes) {
    picture = Picture();
    return DecodeStatus::corrupt;
  }
  av_packet_unref(packet_.get());
  check_av(av_new_packet(packet_.get(), static_cast<int>(size)), "av_new_packet");
  uint8_t* out = packet_->data;
  for (const Bytes& nal : nals) {
    static constexpr uint8_t kStartCode[] = {0, 0, 0, 1};
    std::memcpy(out, kStartCode, sizeof kStartCode);
    if (!nal.empty()) std::memcpy(out + sizeof kStartCode, nal.data(), nal.size());
    out += sizeof kStartCode + nal.size();
  }
  return send_and_receive(picture);
}

DecodeStatus H264Decoder::decode_annexb(ByteView annexb, Picture& picture) {
  if (annexb.empty() || annexb.size() > limits_.max_input_bytes) {
    picture = Picture();
    return DecodeStatus::corrupt;
  }
  av_packet_unref(packet_.get());
  check_av(av_new_packet(packet_.get(), static_cast<int>(annexb.size())), "av_new_packet");
  std::memcpy(packet_->data, annexb.data(), annexb.size());
  return send_and_receive(picture);
}

DecodeStatus H264Decoder::send_and_receive(Picture& picture) {
  picture = Picture();
  const int sent = avcodec_send_packet(context_.get(), packet_.get());
  av_packet_unref(packet_.get());
  if (sent == AVERROR(ENOMEM)) throw MediaError("avcodec_send_packet(h264)", sent);
  bool damaged = sent < 0;
  bool got_picture = false;
  for (;;) {
    const int rc = avcodec_receive_frame(context_.get(), frame_.get());
    if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) break;
    if (rc == AVERROR(ENOMEM)) throw MediaError("avcodec_receive_frame(h264)", rc);
    if (rc < 0) {
      damaged = true;
      break;
    }
    // Normally one picture per access unit; if a damaged stream yields more, keep the last.
    damaged = damaged || (frame_->flags & AV_FRAME_FLAG_CORRUPT) || frame_->decode_error_flags;
    FramePtr taken = make_frame();
    av_frame_move_ref(taken.get(), frame_.get());
    picture = Picture(std::move(taken));
    got_picture = true;
  }
  return got_picture && !damaged ? DecodeStatus::ok : DecodeStatus::corrupt;
}

void H264Decoder::reset() {
  avcodec_flush_buffers(context_.get());
}

}  // namespace camleak::media
