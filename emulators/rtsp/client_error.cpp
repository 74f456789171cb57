#include "emulators/rtsp/client_error.hpp"

namespace camleak::rtsp {

std::string_view to_string(ClientErrorKind kind) {
  switch (kind) {
    case ClientErrorKind::none:
      return "ok";
    case ClientErrorKind::bad_input:
      return "bad_input";
    case ClientErrorKind::resolve:
      return "resolve";
    case ClientErrorKind::connect:
      return "connect";
    case ClientErrorKind::tls:
      return "tls";
    case ClientErrorKind::timeout:
      return "timeout";
    case ClientErrorKind::status:
      return "status";
    case ClientErrorKind::unauthorized:
      return "unauthorized";
    case ClientErrorKind::connection_closed:
      return "connection_closed";
    case ClientErrorKind::protocol:
      return "protocol";
    case ClientErrorKind::local:
      return "local";
    case ClientErrorKind::cancelled:
      return "cancelled";
    case ClientErrorKind::state:
      return "state";
  }
  return "unknown";
}

std::string ClientError::describe() const {
  std::string s(to_string(kind));
  if (status != 0) s += " " + std::to_string(status);
  if (!message.empty()) s += ": " + message;
  return s;
}

}  // namespace camleak::rtsp
