#include "emulators/media/pixel_code.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "emulators/media/media_error.hpp"

namespace camleak::media {
namespace {

constexpr int kDataBits = 48;
constexpr uint64_t kWhitening = 0xA5C396E15A3CULL;  // fixed, balanced 0/1 mix
constexpr uint64_t kDataMask = (1ULL << kDataBits) - 1;

// Sync cells: column -> levels of rows 0..2 (true = white). Asymmetric left/right so a mirrored
// picture does not read as a band.
struct SyncColumn {
  int column;
  std::array<bool, kPixelCodeRows> white;
};
constexpr std::array<SyncColumn, 4> kSync = {{
    {0, {true, false, true}},
    {1, {false, true, false}},
    {18, {false, false, true}},
    {19, {true, true, false}},
}};
constexpr int kFirstDataColumn = 2;
constexpr int kDataColumns = 16;
static_assert(kDataColumns * kPixelCodeRows == kDataBits);

// Cell edges in pixels: cell i spans [edge(i), edge(i+1)).
int cell_edge(int index, int width) {
  return static_cast<int>(std::lround(static_cast<double>(index) * width / kPixelCodeColumns));
}

uint64_t encode_word(uint32_t code) {
  return ((static_cast<uint64_t>(code) << 16 | pixel_code_crc(code)) ^ kWhitening) & kDataMask;
}

// Mean, min and max of 3x3 sample points in the middle of a cell.
struct CellSample {
  int mean = 0;
  int min = 0;
  int max = 0;
};

CellSample sample_cell(const LumaView& luma, int column, int row) {
  const int x0 = cell_edge(column, luma.width);
  const int x1 = cell_edge(column + 1, luma.width);
  const int y0 = cell_edge(row, luma.width);
  const int y1 = cell_edge(row + 1, luma.width);
  static constexpr double kAt[3] = {0.3, 0.5, 0.7};
  int sum = 0;
  int lo = 255;
  int hi = 0;
  for (double fy : kAt) {
    const int y = y0 + static_cast<int>((y1 - y0) * fy);
    for (double fx : kAt) {
      const int x = x0 + static_cast<int>((x1 - x0) * fx);
      const int v = luma.at(x, y);
      sum += v;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  return CellSample{sum / 9, lo, hi};
}

}  // namespace

uint16_t pixel_code_crc(uint32_t code) {
  uint16_t crc = 0xFFFF;
  for (int shift = 24; shift >= 0; shift -= 8) {
    crc ^= static_cast<uint16_t>(((code >> shift) & 0xFF) << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

int pixel_code_band_height(int width) {
  return cell_edge(kPixelCodeRows, width);
}

void draw_pixel_code(const MutableLumaView& luma, uint32_t code) {
  if (luma.width < kPixelCodeMinWidth || luma.height < pixel_code_band_height(luma.width)) {
    throw MediaError("picture " + std::to_string(luma.width) + "x" + std::to_string(luma.height) +
                     " is too small for a pixel code (needs width >= " +
                     std::to_string(kPixelCodeMinWidth) + " and height >= width * 3 / 20)");
  }
  const uint64_t word = encode_word(code);
  auto cell_is_white = [&](int column, int row) {
    for (const SyncColumn& sync : kSync) {
      if (sync.column == column) return sync.white[row];
    }
    const int bit = row * kDataColumns + (column - kFirstDataColumn);
    return ((word >> (kDataBits - 1 - bit)) & 1) != 0;
  };
  for (int row = 0; row < kPixelCodeRows; ++row) {
    const int y0 = cell_edge(row, luma.width);
    const int y1 = cell_edge(row + 1, luma.width);
    for (int column = 0; column < kPixelCodeColumns; ++column) {
      const int x0 = cell_edge(column, luma.width);
      const int x1 = cell_edge(column + 1, luma.width);
      const uint8_t level = cell_is_white(column, row) ? kPixelCodeWhite : kPixelCodeBlack;
      for (int y = y0; y < y1; ++y) std::fill(luma.row(y) + x0, luma.row(y) + x1, level);
    }
  }
}

std::optional<uint32_t> read_pixel_code(const LumaView& luma) {
  if (!luma.data || luma.width < kPixelCodeMinWidth || luma.stride < luma.width ||
      luma.height < pixel_code_band_height(luma.width)) {
    return std::nullopt;
  }
  // Reference levels from the sync cells.
  std::array<CellSample, kSync.size() * kPixelCodeRows> sync_samples;
  int black_sum = 0;
  int white_sum = 0;
  for (std::size_t i = 0; i < kSync.size(); ++i) {
    for (int row = 0; row < kPixelCodeRows; ++row) {
      const CellSample s = sample_cell(luma, kSync[i].column, row);
      sync_samples[i * kPixelCodeRows + row] = s;
      (kSync[i].white[row] ? white_sum : black_sum) += s.mean;
    }
  }
  const int black = black_sum / 6;
  const int white = white_sum / 6;
  const int range = white - black;
  // Drawn as 32/224; even a heavy JPEG or H.264 pass keeps well over half of that contrast.
  if (range < 64) return std::nullopt;
  const int mid = (black + white) / 2;
  const int margin = range / 4;      // a cell must sit in the outer quarter on its side
  const int max_spread = range / 2;  // and be roughly flat in its middle

  // +1 white, 0 black, -1 neither (the picture has no band here).
  auto classify = [&](const CellSample& s) {
    if (s.max - s.min > max_spread) return -1;
    if (s.mean >= mid + margin) return 1;
    if (s.mean <= mid - margin) return 0;
    return -1;
  };
  for (std::size_t i = 0; i < kSync.size(); ++i) {
    for (int row = 0; row < kPixelCodeRows; ++row) {
      if (classify(sync_samples[i * kPixelCodeRows + row]) != (kSync[i].white[row] ? 1 : 0)) {
        return std::nullopt;
      }
    }
  }
  uint64_t word = 0;
  for (int row = 0; row < kPixelCodeRows; ++row) {
    for (int column = kFirstDataColumn; column < kFirstDataColumn + kDataColumns; ++column) {
      const int bit = classify(sample_cell(luma, column, row));
      if (bit < 0) return std::nullopt;
      word = word << 1 | static_cast<uint64_t>(bit);
    }
  }
  word ^= kWhitening;
  const auto code = static_cast<uint32_t>(word >> 16);
  if (static_cast<uint16_t>(word & 0xFFFF) != pixel_code_crc(code)) return std::nullopt;
  return code;
}

std::optional<uint32_t> read_pixel_code(const Picture& picture) {
  const std::optional<LumaView> luma = picture.luma();
  if (!luma) return std::nullopt;
  return read_pixel_code(*luma);
}

}  // namespace camleak::media
