#pragma once
// Resizing with libswscale: what a relay does when it serves thumbnails.
#include "emulators/media/picture.hpp"

extern "C" {
#include <libswscale/swscale.h>
}

namespace camleak::media {

// A new picture of `width` x `height` in the same pixel format. `algorithm` is an SWS_* flag.
Picture scale_picture(const Picture& picture, int width, int height, int algorithm = SWS_BILINEAR);

// Converts `picture` into `out` (already allocated with the wanted size and format), reusing
// `scaler` across calls when the geometry stays the same.
void convert_picture(const Picture& picture, AVFrame* out, SwsContextPtr& scaler,
                     int algorithm = SWS_BILINEAR);

}  // namespace camleak::media
