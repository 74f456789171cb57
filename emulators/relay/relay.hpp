#pragma once
// The reference relay: the built-in system under test. It implements exactly the SUT contract
// of DESIGN.md (admin provisioning API, RTSP publish ingest, RTSP play with fan-out, HTTP
// snapshots) plus GET /admin/health and /admin/stats, and carries three defect switches that
// reproduce real cross-account leak incidents under their stress (DEFECTS.md).
//
//   RelayConfig config;                     // ports 0: the OS picks
//   config.state_file = "/tmp/relay.json";
//   Relay relay(config);                    // owns an io_context and one thread
//   relay.start();
//   auto ports = relay.ports();             // rtsp/http/admin as bound
//   relay.restart();                        // a process restart: same ports, state reloaded
//   relay.stop();
//
// Threading: all network work runs on one strand. With the owning constructor start(), stop(),
// restart(), counters() and stats() may be called from any thread. With a caller's io_context
// they must be called from a thread running it (or while nothing runs it).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "emulators/relay/config.hpp"
#include "emulators/relay/counters.hpp"
#include "emulators/relay/state_file.hpp"
#include "harness/core/clock.hpp"

namespace camleak::relay {

struct RelayPorts {
  uint16_t rtsp = 0;
  uint16_t http = 0;
  uint16_t admin = 0;
};

class Relay {
 public:
  explicit Relay(RelayConfig config);
  Relay(RelayConfig config, boost::asio::io_context& io);
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  // Loads the state file (InputError when it is corrupt) and the TLS files (InputError naming
  // the file), binds the three ports (HarnessError
  // when one is taken) and starts serving. A restart binds the ports bound the first time.
  void start();
  // Persists state, closes every connection and listener. Idempotent.
  void stop();
  // stop() then start(), as a process restart: connections drop, provisioning (and the play
  // sessions viewers may resume) come back from the state file, or from memory without one.
  void restart();
  bool running() const;

  RelayPorts ports() const { return ports_; }
  const RelayConfig& config() const { return config_; }
  // rtsp://HOST:PORT/cameras/{camera} (rtsps:// with TLS), with credentials when given.
  std::string rtsp_url(std::string_view camera, std::string_view user = {},
                       std::string_view password = {}) const;
  std::string http_base() const;   // http://HOST:PORT (https:// with TLS)
  std::string admin_base() const;  // http://HOST:PORT (https:// with TLS)

  RelayCounters counters() const;
  boost::json::object stats() const;

 private:
  struct Running;
  void start_impl();
  void stop_impl();
  void run_sync(const std::function<void()>& fn) const;
  void accept_rtsp();
  void arm_housekeeping();
  std::string host_for_url(const ListenAddress& a) const;

  RelayConfig config_;
  std::unique_ptr<boost::asio::io_context> owned_io_;
  boost::asio::io_context* io_;
  boost::asio::any_io_executor strand_;
  std::optional<std::thread> thread_;
  std::shared_ptr<void> work_;
  SteadyClock clock_;
  std::optional<RelayState> saved_state_;
  RelayPorts ports_;
  std::unique_ptr<Running> running_;
};

}  // namespace camleak::relay
