#include "emulators/media/scale.hpp"

#include "emulators/media/media_error.hpp"

namespace camleak::media {

void convert_picture(const Picture& picture, AVFrame* out, SwsContextPtr& scaler, int algorithm) {
  if (picture.empty()) throw MediaError("convert_picture: empty picture");
  const AVFrame* in = picture.frame();
  // sws_getCachedContext frees the old context when it has to make a new one.
  SwsContext* next = sws_getCachedContext(
      scaler.release(), in->width, in->height, static_cast<AVPixelFormat>(in->format), out->width,
      out->height, static_cast<AVPixelFormat>(out->format), algorithm, nullptr, nullptr, nullptr);
  scaler.reset(next);
  if (!scaler) {
    throw MediaError("sws_getCachedContext: cannot convert " + std::to_string(in->width) + "x" +
                     std::to_string(in->height) + " to " + std::to_string(out->width) + "x" +
                     std::to_string(out->height));
  }
  check_av(sws_scale(scaler.get(), in->data, in->linesize, 0, in->height, out->data, out->linesize),
           "sws_scale");
}

Picture scale_picture(const Picture& picture, int width, int height, int algorithm) {
  if (width < 1 || height < 1) throw MediaError("scale_picture: size must be positive");
  Picture out = Picture::allocate(width, height, picture.format());
  SwsContextPtr scaler;
  convert_picture(picture, out.frame(), scaler, algorithm);
  return out;
}

}  // namespace camleak::media
