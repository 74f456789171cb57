#include "harness/impair/attributes.hpp"

#include <cstdio>
#include <type_traits>

namespace camleak::impair {

std::string attribute_text(const AttributeValue& value) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return x;
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return std::to_string(x);
        } else {
          static_assert(std::is_same_v<T, double>, "an AttributeValue alternative is not printed");
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.9g", x);
          return buf;
        }
      },
      value);
}

}  // namespace camleak::impair
