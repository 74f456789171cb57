#include "emulators/media/test_pattern.hpp"

#include <algorithm>
#include <cstring>

#include "emulators/media/media_error.hpp"
#include "emulators/media/pixel_code.hpp"

namespace camleak::media {
namespace {

// Triangle wave 0..127..0 over a period of 256: smooth, so the encoder spends few bits on it.
int triangle(int t) {
  t &= 255;
  return t < 128 ? t : 255 - t;
}

}  // namespace

void render_test_pattern(Picture& picture, uint64_t frame_index, std::optional<uint32_t> code) {
  if (picture.format() != AV_PIX_FMT_YUV420P) {
    throw MediaError("render_test_pattern needs a YUV420P picture");
  }
  const int width = picture.width();
  const int height = picture.height();
  const int band = pixel_code_band_height(width);
  const int guard = band / 6;  // half a cell of grey between band and scene
  if (width < kPixelCodeMinWidth || height < band + guard + 2) {
    throw MediaError("test picture " + std::to_string(width) + "x" + std::to_string(height) +
                     " is too small for the pixel code and a scene");
  }
  picture.make_writable();
  AVFrame* frame = picture.frame();
  const int t = static_cast<int>(frame_index % 1'000'000);
  // Each camera's scene starts at its own phase, so two cameras' P-frames (which code only the
  // moving scene; the band is static) are different bytes and a swapped SEI fails the MAC.
  const uint32_t scene = code ? *code * 2654435761u : 0;
  const int wave_phase = static_cast<int>(scene >> 24);

  // Luma: band, guard, then the diagonal wave with a bright box bouncing left and right.
  MutableLumaView luma{frame->data[0], width, height, frame->linesize[0]};
  if (code) {
    draw_pixel_code(luma, *code);
  } else {
    for (int y = 0; y < band; ++y) std::memset(luma.row(y), 128, width);
  }
  for (int y = band; y < band + guard; ++y) std::memset(luma.row(y), 128, width);
  const int scene_top = band + guard;
  const int box = std::max(8, (height - scene_top) / 3);
  const int travel = std::max(1, width - box);
  const int phase = (t * 4 + static_cast<int>((scene >> 8) & 0xFFFF)) % (2 * travel);
  const int box_x = phase < travel ? phase : 2 * travel - phase;
  const int box_y = scene_top + (height - scene_top - box) / 2;
  for (int y = scene_top; y < height; ++y) {
    uint8_t* row = luma.row(y);
    for (int x = 0; x < width; ++x) {
      row[x] = static_cast<uint8_t>(48 + triangle(x + y + 3 * t + wave_phase));
    }
    if (y >= box_y && y < box_y + box) {
      std::fill(row + box_x, row + std::min(width, box_x + box), uint8_t{235});
    }
  }

  // Chroma: neutral under the band, slow colour drift in the scene.
  const int chroma_width = (width + 1) / 2;
  for (int y = 0; y < (height + 1) / 2; ++y) {
    uint8_t* u = frame->data[1] + static_cast<std::ptrdiff_t>(y) * frame->linesize[1];
    uint8_t* v = frame->data[2] + static_cast<std::ptrdiff_t>(y) * frame->linesize[2];
    if (2 * y < scene_top) {
      std::memset(u, 128, chroma_width);
      std::memset(v, 128, chroma_width);
      continue;
    }
    for (int x = 0; x < chroma_width; ++x) {
      u[x] = static_cast<uint8_t>(64 + triangle(2 * x - t + wave_phase));
      v[x] = static_cast<uint8_t>(64 + triangle(2 * y + t));
    }
  }
}

Picture make_test_picture(int width, int height, uint64_t frame_index,
                          std::optional<uint32_t> code) {
  Picture picture = Picture::allocate(width, height, AV_PIX_FMT_YUV420P);
  render_test_pattern(picture, frame_index, code);
  return picture;
}

}  // namespace camleak::media
