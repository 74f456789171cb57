#include "emulators/rtsp/h264_nal.hpp"

namespace camleak::rtsp {

std::vector<std::span<const uint8_t>> split_annexb(std::span<const uint8_t> s) {
  std::vector<std::span<const uint8_t>> out;
  size_t n = s.size();
  size_t i = 0;
  size_t nal_start = SIZE_MAX;
  auto close = [&](size_t end) {
    if (nal_start == SIZE_MAX) return;
    while (end > nal_start && s[end - 1] == 0) --end;
    if (end > nal_start) out.push_back(s.subspan(nal_start, end - nal_start));
  };
  while (i + 2 < n) {
    if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
      close(i);
      i += 3;
      nal_start = i;
      continue;
    }
    ++i;
  }
  close(n);
  return out;
}

void append_annexb(std::vector<uint8_t>& out, std::span<const uint8_t> nal) {
  static constexpr uint8_t kStart[] = {0, 0, 0, 1};
  out.insert(out.end(), std::begin(kStart), std::end(kStart));
  out.insert(out.end(), nal.begin(), nal.end());
}

}  // namespace camleak::rtsp
