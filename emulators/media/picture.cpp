#include "emulators/media/picture.hpp"

#include <cstring>

#include "emulators/media/media_error.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace camleak::media {
namespace {

// True for formats whose first plane is 8-bit luma, one byte per pixel.
bool has_8bit_luma_plane(AVPixelFormat format) {
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
  if (!desc) return false;
  if (desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM |
                     AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_FLOAT)) {
    return false;
  }
  const AVComponentDescriptor& y = desc->comp[0];
  return y.plane == 0 && y.step == 1 && y.depth == 8 && y.shift == 0 && y.offset == 0;
}

}  // namespace

Picture Picture::allocate(int width, int height, AVPixelFormat format) {
  FramePtr frame = make_frame();
  frame->width = width;
  frame->height = height;
  frame->format = format;
  check_av(av_frame_get_buffer(frame.get(), 0), "av_frame_get_buffer");
  // Zero every plane including padding so encoders never read uninitialised memory.
  for (int plane = 0; plane < AV_NUM_DATA_POINTERS && frame->buf[plane]; ++plane) {
    std::memset(frame->buf[plane]->data, 0, frame->buf[plane]->size);
  }
  return Picture(std::move(frame));
}

Picture::Picture(const Picture& other) {
  *this = other;
}

Picture& Picture::operator=(const Picture& other) {
  if (this == &other) return *this;
  if (!other.frame_) {
    frame_.reset();
    return *this;
  }
  FramePtr copy = make_frame();
  check_av(av_frame_ref(copy.get(), other.frame_.get()), "av_frame_ref");
  frame_ = std::move(copy);
  return *this;
}

std::optional<LumaView> Picture::luma() const {
  if (empty() || !has_8bit_luma_plane(format()) || frame_->linesize[0] <= 0) return std::nullopt;
  return LumaView{frame_->data[0], frame_->width, frame_->height, frame_->linesize[0]};
}

std::optional<MutableLumaView> Picture::mutable_luma() {
  if (empty() || !has_8bit_luma_plane(format()) || frame_->linesize[0] <= 0) return std::nullopt;
  make_writable();
  return MutableLumaView{frame_->data[0], frame_->width, frame_->height, frame_->linesize[0]};
}

void Picture::make_writable() {
  if (frame_) check_av(av_frame_make_writable(frame_.get()), "av_frame_make_writable");
}

}  // namespace camleak::media
