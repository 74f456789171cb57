#pragma once
// Errors of the programmatic proxy API, with the kind the control API maps to a status code.
#include <stdexcept>
#include <string>

namespace camleak::proxy {

class ProxyError : public std::runtime_error {
 public:
  enum class Kind { not_found, already_exists, bad_request, listen_failed };
  ProxyError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace camleak::proxy
