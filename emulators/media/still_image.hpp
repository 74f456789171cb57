#pragma once
// Still images: JPEG snapshots (the relay's snapshot endpoint encodes them, the hub identifies
// them by their pixel code; a snapshot has no SEI) and PNG evidence files.
#include <array>
#include <cstdint>
#include <optional>

#include "emulators/h264/nal.hpp"
#include "emulators/media/ffmpeg_ptr.hpp"
#include "emulators/media/h264_decoder.hpp"
#include "emulators/media/picture.hpp"
#include "harness/core/observation.hpp"

namespace camleak::media {

// JPEG encoder (libavcodec mjpeg). Quality means what it means to libjpeg (cjpeg -quality, PIL,
// most camera clouds): the Annex K tables scaled the libjpeg way, so 50 is the example tables
// themselves. (Only the DC step stays at mjpeg's fixed 8.) Keeps its codec context while the
// picture size stays the same; not thread-safe.
class JpegEncoder {
 public:
  explicit JpegEncoder(int quality = 85);  // throws InputError unless 1..100

  // Encodes any 8-bit YUV or RGB picture (converted to full-range YUV 4:2:0 first).
  Bytes encode(const Picture& picture);
  int quality() const { return quality_; }

 private:
  void open(int width, int height);

  int quality_;
  std::array<uint16_t, 64> chroma_matrix_{};  // referenced by context_: declared before it
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
