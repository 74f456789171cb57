#pragma once
// Shared pieces of the fleet integration tests: an io_context on its own thread, a thread-safe
// recorder of Observations and Operations that tests wait on (with a deadline, never a sleep),
// small camera loops, and a blocking HTTP request for provisioning the relay. Free of GoogleTest:
// tools/bench/fleet compiles it too.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "emulators/camera/camera.hpp"
#include "emulators/hub/hub.hpp"
#include "harness/core/observation.hpp"
#include "tests/support/loopback_http.hpp"

namespace camleak::fleet_test {

using namespace std::chrono_literals;

// An io_context run by one thread for the lifetime of the object.
class IoThread {
 public:
  IoThread();
  ~IoThread();
  boost::asio::io_context& io() { return io_; }
  // Runs `fn` on the io thread and waits for it.
  void run_sync(const std::function<void()>& fn);
  // Stops the loop and joins the thread (idempotent).
  void stop();

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
};

// Collects everything the emulators report.
class Recorder {
 public:
  emulators::OperationSink operation_sink();
  emulators::ObservationSink observation_sink();

  // Waits (up to `deadline`) until `pred(observations, operations)` holds.
  bool wait(const std::function<bool(const std::vector<Observation>&,
                                     const std::vector<Operation>&)>& pred,
            std::chrono::milliseconds deadline = 15s);

  std::vector<Observation> observations() const;
  std::vector<Operation> operations() const;
  std::size_t pictures_seen() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Observation> observations_;
  std::vector<Operation> operations_;
  std::size_t pictures_ = 0;
};

// Counts of a kind in a recording.
std::size_t count_ops(const std::vector<Operation>& ops, OperationType type,
                      std::optional<CompletionType> completion = std::nullopt,
                      const std::string& process = {});
std::size_t count_observations(const std::vector<Observation>& obs, const std::string& hub,
                               DeliveryKind kind, bool only_ok = true);
// Decoded observations (of any hub and kind) received after `since`.
std::size_t count_decoded_after(const std::vector<Observation>& obs, Micros since);
// At least `n` play probes and `n` snapshot probes, whatever their outcome.
bool probed_both_ways(const std::vector<Operation>& ops, std::size_t n);

// A small, fast camera config (160x96, 25 fps, GOP 10) publishing to 127.0.0.1:port.
emulators::CameraConfig small_camera(const std::string& name, const std::string& owner,
                                     const std::string& secret, uint32_t code, uint16_t port);

using loopback::http_request;

}  // namespace camleak::fleet_test
