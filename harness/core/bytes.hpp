#pragma once
// Owned bytes and a view of bytes, the way every module passes binary data around.
#include <cstdint>
#include <span>
#include <vector>

namespace camleak {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

}  // namespace camleak
