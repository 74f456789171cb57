// Fuzzes the pixel-code reader with arbitrary plane geometry and content. The plane is an exact
// allocation (no slack after the last pixel), so AddressSanitizer catches any read outside it.
// Input: u16 width, u16 height, u8 extra stride, then luma bytes (tiled to fill the plane).
// Property: a code that is read must re-draw to a band that reads back as the same code.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "emulators/media/picture.hpp"
#include "emulators/media/pixel_code.hpp"

using namespace camleak::media;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 5) return 0;
  const int width = 1 + ((data[0] << 8 | data[1]) % 1024);
  const int height = 1 + ((data[2] << 8 | data[3]) % 256);
  const int stride = width + data[4] % 16;
  const uint8_t* pixels = data + 5;
  const size_t count = size - 5;

  std::vector<uint8_t> plane(static_cast<size_t>(stride) * (height - 1) + width);
  if (count > 0) {
    for (size_t at = 0; at < plane.size(); at += count) {
      std::copy_n(pixels, std::min(count, plane.size() - at),
                  plane.begin() + static_cast<std::ptrdiff_t>(at));
    }
  }
  const LumaView luma{plane.data(), width, height, stride};
  const std::optional<uint32_t> code = read_pixel_code(luma);

  if (code) {
    std::vector<uint8_t> redrawn(plane);
    draw_pixel_code(MutableLumaView{redrawn.data(), width, height, stride}, *code);
    if (read_pixel_code(LumaView{redrawn.data(), width, height, stride}) != code) std::abort();
  }
  return 0;
}
