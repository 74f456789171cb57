#pragma once
// Still images: JPEG snapshots (the relay's snapshot endpoint encodes them, the hub identifies
// them by their pixel code; a snapshot has no SEI) and PNG evidence files.
#include <cstdint>
#include <optional>

#include "emulators/media/ffmpeg_ptr.hpp"
#include "emulators/media/h264_decoder.hpp"
#include "emulators/media/nal.hpp"
#include "emulators/media/picture.hpp"
#include "harness/core/observation.hpp"

namespace camleak::media {

// JPEG encoder (libavcodec mjpeg). Quality follows the IJG scale: 50 uses the standard JPEG
// quantisation tables, lower is coarser, higher finer (100 is the finest mjpeg allows, not
// lossless). Keeps its codec context while the picture size stays the same; not thread-safe.
class JpegEncoder {
 public:
  explicit JpegEncoder(int quality = 85);  // throws InputError unless 1..100

  // Encodes any 8-bit YUV or RGB picture (converted to full-range YUV 4:2:0 first).
  Bytes encode(const Picture& picture);
  int quality() const { return quality_; }

 private:
  void open(int width, int height);

  int quality_;
  int qscale_;
  CodecContextPtr context_;
  SwsContextPtr scaler_;
  FramePtr converted_;
  PacketPtr packet_;
  int64_t next_pts_ = 0;  // the encoder refuses repeated timestamps
};

struct SnapshotIdentity {
  DecodeStatus status = DecodeStatus::not_media;  // not_media: not a JPEG at all
  std::optional<uint32_t> pixel_code;
  Picture picture;  // the decoded image when status is ok
};

// Decodes a JPEG (libavcodec mjpeg) and reads its pixel code. Bytes that do not start with a
// JPEG SOI marker are not_media; a JPEG the decoder rejects is corrupt. Never throws on bad input.
SnapshotIdentity identify_jpeg(ByteView jpeg, const DecoderLimits& limits = {});

// PNG (RGB 8-bit) of a picture, for evidence files.
Bytes encode_png(const Picture& picture);

}  // namespace camleak::media
