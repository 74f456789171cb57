#pragma once
// A relay camleak did not start itself: reached by URLs, optionally started, restarted and
// stopped by shell commands, with a readiness probe.
#include <sys/types.h>

#include <atomic>

#include "harness/runner/sut_driver.hpp"
#include "harness/scenario/scenario.hpp"

namespace camleak::runner {

class ExternalSutDriver final : public SutDriver {
 public:
  // Throws InputError when a URL is malformed (field names as in the scenario: sut.rtsp, ...).
  // `interrupted` (may be null; set from a signal handler) cuts waits for readiness and for the
  // restart command short.
  explicit ExternalSutDriver(scenario::ExternalSut config,
                             const std::atomic<bool>* interrupted = nullptr);
  ~ExternalSutDriver() override;

  void start() override;
  void restart() override;
  std::string stop() noexcept override;
  SutEndpoints endpoints() const override { return endpoints_; }
  std::string describe() const override;

 private:
  void wait_ready(const char* after);

  scenario::ExternalSut config_;
  SutEndpoints endpoints_;
  const std::atomic<bool>* interrupted_;
  pid_t started_ = -1;  // process group of the `start` command, when it is still running
};

// Runs `command` with /bin/sh -c in a new process group; returns its pid. Throws HarnessError.
pid_t spawn_shell(const std::string& command);
// Runs `command` to completion (at most `timeout`); returns its exit status, or -1 on timeout
// (the process group is killed then, also when `interrupted` gets set).
int run_shell(const std::string& command, Micros timeout,
              const std::atomic<bool>* interrupted = nullptr);
// SIGTERM to the process group, SIGKILL to what is left of it after `grace`; returns once every
// member is gone (at most 5 s after the SIGKILL).
void kill_group(pid_t pid, Micros grace) noexcept;

}  // namespace camleak::runner
