#pragma once
// A single-threaded libavcodec H.264 decoder for one stream, kept across frames (P-frames need
// the pictures before them). Bad input never throws: it comes back as DecodeStatus::corrupt.
#include <cstddef>
#include <span>

#include "emulators/h264/nal.hpp"
#include "emulators/media/ffmpeg_ptr.hpp"
#include "emulators/media/picture.hpp"
#include "harness/core/observation.hpp"

namespace camleak::media {

// Bounds on what hostile input can make the decoder allocate.
struct DecoderLimits {
  int max_width = 4096;
  int max_height = 2304;
  std::size_t max_input_bytes = 8u << 20;  // larger access units / images are rejected unread
};

class H264Decoder {
 public:
  explicit H264Decoder(const DecoderLimits& limits = {});

  // Decodes one access unit (NAL units without start codes). ok: `picture` holds the decoded
  // picture. corrupt: the decoder rejected the data, produced no picture (for example P-frames
  // before the first IDR) or flagged the picture as damaged (then `picture` still holds it).
  DecodeStatus decode(std::span<const Bytes> nals, Picture& picture);
  // The same for an Annex-B byte stream holding one access unit.
  DecodeStatus decode_annexb(ByteView annexb, Picture& picture);

  // Forgets all reference pictures (a new connection): decoding restarts at the next IDR.
  void reset();

 private:
  DecodeStatus send_and_receive(Picture& picture);

  DecoderLimits limits_;
  CodecContextPtr context_;
  PacketPtr packet_;
  FramePtr frame_;
};

}  // namespace camleak::media
