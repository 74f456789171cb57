#pragma once
// How the emulators hand their Jepsen-style history to the runner: every operation (publish,
// play, snapshot, probe) becomes one camleak::Operation carrying both its invoke and completion
// times, numbered from a counter shared by every emulator of a run so ids are unique per run.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "emulators/rtsp/client_error.hpp"
#include "harness/core/observation.hpp"

namespace camleak::emulators {

// Run-wide id source for Operations and Observations; thread-safe (decode workers take ids too).
class IdCounter {
 public:
  uint64_t next() { return next_.fetch_add(1, std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> next_{1};
};

// Receives each completed operation. Called on the io_context thread of the emulator.
using OperationSink = std::function<void(const Operation&)>;

// Jepsen completion of an RTSP flow: no error = ok; the request may have taken effect (cut
// mid-answer, timeout after sending) = info; a definite refusal or local failure = fail.
CompletionType completion_of(const rtsp::ClientError& error);

// Status codes that mean "you may not see this": 401, 403, 404.
inline bool is_refusal(int status) {
  return status == 401 || status == 403 || status == 404;
}

}  // namespace camleak::emulators
