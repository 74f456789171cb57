#pragma once
// Base64 (RFC 4648, standard alphabet, '=' padding) for SDP sprop-parameter-sets and Basic auth.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace camleak::rtsp {

std::string base64_encode(std::span<const uint8_t> data);
inline std::string base64_encode(std::string_view s) {
  return base64_encode(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}
// Strict decode: padding optional, whitespace and any other character rejected (nullopt).
std::optional<std::vector<uint8_t>> base64_decode(std::string_view text);

}  // namespace camleak::rtsp
