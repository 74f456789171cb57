#include "emulators/camera/history.hpp"

namespace camleak::emulators {

CompletionType completion_of(const rtsp::ClientError& error) {
  if (error.ok()) return CompletionType::ok;
  // A cancelled flow (our own stop or forced redial) never got an answer: its outcome is unknown.
  if (error.indeterminate || error.kind == rtsp::ClientErrorKind::cancelled) {
    return CompletionType::info;
  }
  return CompletionType::fail;
}

}  // namespace camleak::emulators
