#include "harness/runner/external_sut.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "emulators/rtsp/url.hpp"
#include "harness/core/errors.hpp"
#include "harness/core/host_port.hpp"

extern char** environ;

namespace camleak::runner {
namespace {

// The host and port the cameras publish to and the hubs play from.
HostPort rtsp_endpoint(const std::string& url) {
  std::string error;
  const auto parsed = rtsp::parse_rtsp_url(url, &error);
  if (!parsed) throw InputError(Diagnostic{.field = "sut.rtsp_url", .message = error});
  return HostPort{parsed->host, parsed->port};
}

// Waits for `pid` to exit for at most `timeout` (less when `interrupted` is set); true when it
// did (status stored).
bool wait_exit(pid_t pid, Micros timeout, int& status,
               const std::atomic<bool>* interrupted = nullptr) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || r < 0) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (interrupted != nullptr && interrupted->load()) return false;
    // A child's exit cannot be awaited with a timeout portably without signals; poll briefly.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

pid_t spawn_shell(const std::string& command) {
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = -1;
  const int rc =
      posix_spawn(&pid, "/bin/sh", nullptr, &attr, const_cast<char* const*>(argv), environ);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw HarnessError("cannot run `" + command + "`: " + std::strerror(rc));
  return pid;
}

int run_shell(const std::string& command, Micros timeout, const std::atomic<bool>* interrupted) {
  const pid_t pid = spawn_shell(command);
  int status = 0;
  if (!wait_exit(pid, timeout, status, interrupted)) {
    kill_group(pid, std::chrono::seconds(2));
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status)
                           : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

void kill_group(pid_t pid, Micros grace) noexcept {
  if (pid <= 0) return;
  // The leader (the shell running the command) may die at once while the SUT it started stays
  // in the group, so it is the whole group that must be gone, not just the leader.
  int status = 0;
  const auto group_gone = [&] {
    waitpid(pid, &status, WNOHANG);  // a zombie leader would still count as a member
    return ::kill(-pid, 0) != 0 && errno == ESRCH;
  };
  const auto wait_gone = [&](Micros limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!group_gone()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      // Other processes' exits give us no event to wait on: poll briefly.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  };
  ::kill(-pid, SIGTERM);
  if (wait_gone(grace)) return;
  ::kill(-pid, SIGKILL);
  wait_gone(std::chrono::seconds(5));
}

ExternalSutDriver::ExternalSutDriver(scenario::ExternalSut config,
                                     const std::atomic<bool>* interrupted)
    : config_(std::move(config)), interrupted_(interrupted) {
  // Each URL is optional under an adapter that names its addresses itself.
  if (!config_.rtsp_url.empty()) {
    const HostPort rtsp = rtsp_endpoint(config_.rtsp_url);
    endpoints_.rtsp_host = rtsp.host;
    endpoints_.rtsp_port = rtsp.port;
    endpoints_.rtsp_secure = config_.rtsp_url.rfind("rtsps://", 0) == 0;
  }
  if (!config_.http_url.empty()) {
    const HttpUrl http = parse_http_url(config_.http_url, "sut.http_url");
    endpoints_.http_host = http.host;
    endpoints_.http_port = http.port;
    endpoints_.http_secure = http.secure;
  }
  if (!config_.admin_url.empty())
    endpoints_.admin = parse_http_url(config_.admin_url, "sut.admin_url");
}

ExternalSutDriver::~ExternalSutDriver() {
  stop();
}

void ExternalSutDriver::wait_ready(const char* after) {
  if (!config_.ready) return;
  const HttpUrl probe = parse_http_url(config_.ready->url, "sut.ready.url");
  const auto deadline = std::chrono::steady_clock::now() + config_.ready->timeout;
  std::string last = "no answer";
  while (std::chrono::steady_clock::now() < deadline) {
    if (interrupted_ != nullptr && interrupted_->load())
      throw HarnessError(std::string("interrupted while waiting for the SUT ") + after);
    try {
      const auto response =
          http_request({probe.host, probe.port, ""}, "GET", probe.path.empty() ? "/" : probe.path,
                       {}, std::chrono::seconds(1));
      if (response.status >= 200 && response.status < 300) return;
      last = "status " + std::to_string(response.status);
    } catch (const HarnessError& e) {
      last = e.what();
    }
    if (started_ > 0) {
      int status = 0;
      if (waitpid(started_, &status, WNOHANG) == started_) {
        started_ = -1;
        throw HarnessError(std::string("the SUT exited ") + after +
                           " before it was ready (start: `" + config_.start + "`)");
      }
    }
    // Readiness is a property of another process: there is no event to wait on, so poll.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw HarnessError(std::string("the SUT was not ready ") + after + " within " +
                     std::to_string(config_.ready->timeout.count() / 1000) + " ms (" +
                     config_.ready->url + ": " + last + ")");
}

void ExternalSutDriver::start() {
  if (!config_.start.empty()) started_ = spawn_shell(config_.start);
  wait_ready("after start");
}

void ExternalSutDriver::restart() {
  if (config_.restart.empty())
    throw HarnessError("the scenario restarts the SUT but sut.restart is not set");
  const int rc = run_shell(config_.restart, std::chrono::seconds(60), interrupted_);
  if (interrupted_ != nullptr && interrupted_->load())
    throw HarnessError("interrupted during sut.restart");
  if (rc != 0)
    throw HarnessError("sut.restart `" + config_.restart + "` failed with status " +
                       std::to_string(rc));
  wait_ready("after restart");
}

std::string ExternalSutDriver::stop() noexcept {
  std::string problem;
  if (!config_.stop.empty()) {
    try {
      if (const int rc = run_shell(config_.stop, std::chrono::seconds(30)); rc != 0)
        problem = "sut.stop `" + config_.stop + "` exited with status " + std::to_string(rc);
    } catch (const std::exception& e) {
      problem = "sut.stop `" + config_.stop + "`: " + e.what();
    }
  }
  if (started_ > 0) {
    kill_group(started_, std::chrono::seconds(5));
    started_ = -1;
  }
  return problem;
}

std::string ExternalSutDriver::describe() const {
  return "external relay at " + config_.rtsp_url;
}

}  // namespace camleak::runner
