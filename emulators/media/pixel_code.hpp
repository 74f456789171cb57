#pragma once
// The pixel code: a 32-bit camera code drawn into the luma plane as a band of large black and
// white cells across the top of the frame, so a relay that decodes and re-encodes (a JPEG
// snapshot, a transcode, a downscale) still delivers a picture that names its camera.
//
// Geometry is relative to the frame width, so a scaled picture is read the same way:
//   20 columns x 3 rows of square cells, cell side = width / 20, band height = 3 cells.
//   Columns 0, 1, 18, 19 are a fixed sync pattern (6 black, 6 white cells): it proves the band is
//   there and gives the black and white reference levels after whatever the picture went through.
//   Columns 2..17 (48 cells, row by row) carry code (32 bits) + CRC-16/CCITT of the code (16 bits),
//   XORed with a fixed whitening mask so that every code has both levels in its data cells.
//
// The reader samples 3x3 points in the middle of each cell (never scans the frame) and returns
// nullopt unless every cell is uniform and clearly black or white relative to the references,
// the sync pattern matches and the CRC checks: a picture without a code yields nullopt, not a
// guess.
#include <cstdint>
#include <optional>

#include "emulators/media/picture.hpp"

namespace camleak::media {

inline constexpr int kPixelCodeColumns = 20;
inline constexpr int kPixelCodeRows = 3;
// Narrowest picture whose cells are still 4 pixels wide.
inline constexpr int kPixelCodeMinWidth = 4 * kPixelCodeColumns;
// Luma of the cells as drawn (video range).
inline constexpr uint8_t kPixelCodeBlack = 32;
inline constexpr uint8_t kPixelCodeWhite = 224;

// Height in rows of the band for a picture `width` pixels wide.
int pixel_code_band_height(int width);

// Draws the band for `code` into the top of `luma`. Throws MediaError when the picture is too
// small to hold a readable band (narrower than kPixelCodeMinWidth or shorter than the band).
void draw_pixel_code(const MutableLumaView& luma, uint32_t code);

// Reads the code, or nullopt when no valid code is present.
std::optional<uint32_t> read_pixel_code(const LumaView& luma);
std::optional<uint32_t> read_pixel_code(const Picture& picture);

// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of the code's four bytes, big-endian.
uint16_t pixel_code_crc(uint32_t code);

}  // namespace camleak::media
