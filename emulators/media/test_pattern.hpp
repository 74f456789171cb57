#pragma once
// The synthetic camera picture: the pixel-code band at the top, a mid-grey guard strip, and a
// moving pattern below it (a drifting diagonal wave, a bouncing bright box, drifting colour), so
// consecutive frames differ the way a real scene does and a frozen stream is visible in evidence.
#include <cstdint>
#include <optional>

#include "emulators/media/picture.hpp"

namespace camleak::media {

// Draws frame `frame_index` into `picture` (YUV420P, at least kPixelCodeMinWidth wide). With no
// code the band area is left mid-grey: a picture that carries no identity.
void render_test_pattern(Picture& picture, uint64_t frame_index, std::optional<uint32_t> code);

// A new YUV420P picture with frame `frame_index` of the pattern.
Picture make_test_picture(int width, int height, uint64_t frame_index,
                          std::optional<uint32_t> code);

}  // namespace camleak::media
