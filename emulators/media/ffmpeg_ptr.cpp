#include "emulators/media/ffmpeg_ptr.hpp"

#include <string>

#include "emulators/media/media_error.hpp"

namespace camleak::media {

FramePtr make_frame() {
  FramePtr frame(av_frame_alloc());
  if (!frame) throw MediaError("av_frame_alloc", AVERROR(ENOMEM));
  return frame;
}

PacketPtr make_packet() {
  PacketPtr packet(av_packet_alloc());
  if (!packet) throw MediaError("av_packet_alloc", AVERROR(ENOMEM));
  return packet;
}

CodecContextPtr make_codec_context(const AVCodec* codec, const char* name) {
  if (!codec) throw MediaError(std::string("FFmpeg was built without the ") + name + " codec");
  CodecContextPtr context(avcodec_alloc_context3(codec));
  if (!context)
    throw MediaError(std::string("avcodec_alloc_context3(") + name + ")", AVERROR(ENOMEM));
  return context;
}

}  // namespace camleak::media
