#pragma once
// The system under test as the run loop sees it: something that can be started, restarted and
// stopped, and that answers the SUT contract (DESIGN.md) at three addresses. The built-in
// reference relay and a vendor's external relay are driven through this one interface.
#include <cstdint>
#include <string>

#include "harness/runner/http_client.hpp"

namespace camleak::runner {

struct SutEndpoints {
  std::string rtsp_host;
  uint16_t rtsp_port = 0;
  bool rtsp_secure = false;  // rtsps://
  std::string http_host;
  uint16_t http_port = 0;
  bool http_secure = false;  // https://
  HttpUrl admin;             // admin.secure: https://
};

class SutDriver {
 public:
  virtual ~SutDriver() = default;
  // Starts (or connects to) the SUT and returns once it is ready. Throws HarnessError.
  virtual void start() = 0;
  // Restarts the SUT and returns once it is ready again.
  virtual void restart() = 0;
  // Stops what start() started. Never throws; safe to call twice. Returns what went wrong on
  // the way ("" when nothing did), for the report's notes: a run's verdict is already made.
  virtual std::string stop() noexcept = 0;
  virtual SutEndpoints endpoints() const = 0;
  virtual std::string describe() const = 0;
};

}  // namespace camleak::runner
