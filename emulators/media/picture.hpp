#pragma once
// A decoded or synthesised picture: a reference-counted AVFrame. Copies share the pixel buffers
// (av_frame_ref), so keeping a picture as evidence or as the relay's latest snapshot is cheap;
// treat shared pictures as read-only and call make_writable() before drawing into one.
#include <cstdint>
#include <optional>

#include "emulators/media/ffmpeg_ptr.hpp"

namespace camleak::media {

// The 8-bit luma plane of a picture, read-only.
struct LumaView {
  const uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int stride = 0;  // bytes between rows
  uint8_t at(int x, int y) const { return data[static_cast<std::ptrdiff_t>(y) * stride + x]; }
};

// The 8-bit luma plane of a picture, writable.
struct MutableLumaView {
  uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int stride = 0;
  uint8_t* row(int y) const { return data + static_cast<std::ptrdiff_t>(y) * stride; }
  operator LumaView() const { return LumaView{data, width, height, stride}; }
};

class Picture {
 public:
  Picture() = default;
  // Takes a frame that already holds pixel data (for example from avcodec_receive_frame).
  explicit Picture(FramePtr frame) : frame_(std::move(frame)) {}
  // A new picture with its own zeroed buffers.
  static Picture allocate(int width, int height, AVPixelFormat format = AV_PIX_FMT_YUV420P);

  Picture(const Picture& other);
  Picture& operator=(const Picture& other);
  Picture(Picture&&) noexcept = default;
  Picture& operator=(Picture&&) noexcept = default;

  bool empty() const { return !frame_ || !frame_->data[0]; }
  int width() const { return frame_ ? frame_->width : 0; }
  int height() const { return frame_ ? frame_->height : 0; }
  AVPixelFormat format() const {
    return frame_ ? static_cast<AVPixelFormat>(frame_->format) : AV_PIX_FMT_NONE;
  }

  // The luma plane, or nullopt when the picture is empty or not 8-bit planar YUV/gray.
  std::optional<LumaView> luma() const;
  std::optional<MutableLumaView> mutable_luma();

  // Gives this picture private buffers if they are shared with a copy.
  void make_writable();

  const AVFrame* frame() const { return frame_.get(); }
  AVFrame* frame() { return frame_.get(); }

 private:
  FramePtr frame_;
};

}  // namespace camleak::media
