#include "emulators/h264/access_unit.hpp"

namespace camleak::h264 {

std::size_t AccessUnit::bytes() const {
  std::size_t n = 0;
  for (const auto& nal : nals) n += nal.size();
  return n;
}

}  // namespace camleak::h264
