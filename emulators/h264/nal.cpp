#include "emulators/h264/nal.hpp"

#include <algorithm>

namespace camleak::h264 {
namespace {

// Position of the next 00 00 01 at or after `from`, or `data.size()`.
std::size_t find_start_code(ByteView data, std::size_t from) {
  for (std::size_t i = from; i + 2 < data.size();) {
    // Skip quickly: a start code needs data[i+2] == 1 preceded by two zeros.
    if (data[i + 2] > 1) {
      i += 3;
    } else if (data[i + 2] == 1 && data[i] == 0 && data[i + 1] == 0) {
      return i;
    } else {
      ++i;
    }
  }
  return data.size();
}

}  // namespace

std::vector<Bytes> split_annexb(ByteView stream) {
  std::vector<Bytes> nals;
  std::size_t code = find_start_code(stream, 0);
  while (code < stream.size()) {
    const std::size_t begin = code + 3;
    const std::size_t next = find_start_code(stream, begin);
    std::size_t end = next;
    while (end > begin && stream[end - 1] == 0) --end;  // zero_byte of a 4-byte start code
    if (end > begin) nals.emplace_back(stream.begin() + begin, stream.begin() + end);
    code = next;
  }
  return nals;
}

void append_annexb(Bytes& out, ByteView nal) {
  static constexpr uint8_t kStartCode[] = {0, 0, 0, 1};
  out.insert(out.end(), std::begin(kStartCode), std::end(kStartCode));
  out.insert(out.end(), nal.begin(), nal.end());
}

std::size_t annexb_size(std::span<const Bytes> nals) {
  std::size_t size = 0;
  for (const Bytes& nal : nals) size += 4 + nal.size();
  return size;
}

Bytes join_annexb(std::span<const Bytes> nals) {
  Bytes out;
  out.reserve(annexb_size(nals));
  for (const Bytes& nal : nals) append_annexb(out, nal);
  return out;
}

Bytes escape_rbsp(ByteView rbsp) {
  Bytes out;
  out.reserve(rbsp.size() + rbsp.size() / 64 + 2);
  int zeros = 0;
  for (uint8_t byte : rbsp) {
    if (zeros >= 2 && byte <= 3) {
      out.push_back(3);
      zeros = 0;
    }
    out.push_back(byte);
    zeros = byte == 0 ? zeros + 1 : 0;
  }
  return out;
}

Bytes unescape_rbsp(ByteView escaped) {
  Bytes out;
  out.reserve(escaped.size());
  int zeros = 0;
  for (uint8_t byte : escaped) {
    if (zeros >= 2 && byte == 3) {
      zeros = 0;
      continue;
    }
    out.push_back(byte);
    zeros = byte == 0 ? zeros + 1 : 0;
  }
  return out;
}

}  // namespace camleak::h264
