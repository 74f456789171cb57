#include "emulators/relay/relay.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <exception>
#include <future>

#include "emulators/relay/cloud_api.hpp"
#include "emulators/relay/http_api.hpp"
#include "emulators/relay/http_server.hpp"
#include "emulators/relay/relay_core.hpp"
#include "emulators/relay/rtsp_connection.hpp"
#include "harness/core/errors.hpp"
#include "harness/tls/context.hpp"

namespace camleak::relay {

namespace asio = boost::asio;
using asio::ip::tcp;

struct Relay::Running {
  explicit Running(asio::any_io_executor ex) : rtsp_acceptor(ex), housekeeping(ex) {}
  std::unique_ptr<RelayCore> core;
  tcp::acceptor rtsp_acceptor;
  std::unique_ptr<HttpServer> admin;
  std::unique_ptr<HttpServer> http;
  asio::steady_timer housekeeping;
  std::shared_ptr<int> alive = std::make_shared<int>(0);
};

Relay::Relay(RelayConfig config)
    : config_(std::move(config)),
      owned_io_(std::make_unique<asio::io_context>(1)),
      io_(owned_io_.get()),
      strand_(asio::make_strand(*io_)) {
  work_ = std::make_shared<asio::executor_work_guard<asio::io_context::executor_type>>(
      io_->get_executor());
  thread_.emplace([this] { io_->run(); });
}

Relay::Relay(RelayConfig config, asio::io_context& io)
    : config_(std::move(config)), io_(&io), strand_(asio::make_strand(io)) {}

Relay::~Relay() {
  stop();
  if (thread_) {
    work_.reset();
    io_->stop();
    thread_->join();
  }
}

void Relay::run_sync(const std::function<void()>& fn) const {
  const auto* strand = strand_.target<asio::strand<asio::io_context::executor_type>>();
  if (!thread_ || (strand != nullptr && strand->running_in_this_thread())) {
    fn();
    return;
  }
  std::promise<void> done;
  asio::post(strand_, [&] {
    try {
      fn();
      done.set_value();
    } catch (...) {
      done.set_exception(std::current_exception());
    }
  });
  done.get_future().get();
}

void Relay::start() {
  run_sync([this] { start_impl(); });
}
void Relay::stop() {
  run_sync([this] { stop_impl(); });
}
void Relay::restart() {
  run_sync([this] {
    stop_impl();
    start_impl();
  });
}
bool Relay::running() const {
  bool r = false;
  run_sync([&] { r = running_ != nullptr; });
  return r;
}

void Relay::start_impl() {
  if (running_) return;
  RelayState state;
  std::optional<RelayState> loaded;
  if (!config_.state_file.empty()) loaded = StateFile(config_.state_file).load();
  if (loaded) {
    state = std::move(*loaded);
  } else if (saved_state_) {
    state = *saved_state_;
  }
  auto running = std::make_unique<Running>(strand_);
  running->core = std::make_unique<RelayCore>(config_, strand_, clock_, std::move(state));
  RelayCore& core = *running->core;
  if (config_.tls) core.tls = tls::make_server_context(*config_.tls);

  // Ports bound by an earlier start are bound again, so clients reconnect to the same URLs.
  const auto with_port = [](ListenAddress a, uint16_t bound) {
    if (bound != 0) a.port = bound;
    return a;
  };
  const ListenAddress rtsp_at = with_port(config_.rtsp, ports_.rtsp);
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(rtsp_at.host, ec);
  if (ec)
    throw HarnessError("relay rtsp listen address `" + rtsp_at.host +
                       "` is not a numeric IP address");
  const tcp::endpoint endpoint(ip, rtsp_at.port);
  running->rtsp_acceptor.open(endpoint.protocol(), ec);
  if (!ec) running->rtsp_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) running->rtsp_acceptor.bind(endpoint, ec);
  if (!ec) running->rtsp_acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw HarnessError("cannot listen for RTSP on " + format_host_port(rtsp_at) + ": " +
                       ec.message());
  running->admin = std::make_unique<HttpServer>(
      core, with_port(config_.admin, ports_.admin),
      [&core](const HttpRequest& r, Respond respond) {
        if (core.config().layout == Layout::cloud)
          return handle_cloud_admin_request(core, r, std::move(respond));
        handle_admin_request(core, r, std::move(respond));
      },
      "admin API",
      /*capped=*/false);
  running->http = std::make_unique<HttpServer>(
      core, with_port(config_.http, ports_.http),
      [&core](const HttpRequest& r, Respond respond) {
        respond(core.config().layout == Layout::cloud ? handle_cloud_http_request(core, r)
                                                      : handle_snapshot_request(core, r));
      },
      "snapshots",
      /*capped=*/true);
  ports_ = RelayPorts{running->rtsp_acceptor.local_endpoint().port(), running->http->port(),
                      running->admin->port()};
  core.set_rtsp_port(ports_.rtsp);
  running_ = std::move(running);
  accept_rtsp();
  arm_housekeeping();
}

void Relay::stop_impl() {
  if (!running_) return;
  Running& r = *running_;
  r.alive.reset();
  boost::system::error_code ec;
  r.housekeeping.cancel();
  r.rtsp_acceptor.close(ec);
  r.admin->stop();
  r.http->stop();
  r.core->mapping.cancel_all();
  r.core->close_all();  // live play sessions stay in the table, detached: resumable
  try {
    r.core->persist();
  } catch (const HarnessError&) {
    // Counted; the in-memory copy below still carries the state across an in-process restart.
  }
  saved_state_ = r.core->snapshot_state();
  running_.reset();
}

void Relay::accept_rtsp() {
  Running& r = *running_;
  std::weak_ptr<int> alive = r.alive;
  r.rtsp_acceptor.async_accept(
      strand_, [this, alive](boost::system::error_code ec, tcp::socket socket) {
        if (alive.expired() || ec == asio::error::operation_aborted) return;
        RelayCore& core = *running_->core;
        if (!ec) {
          if (core.connection_limit_reached()) {
            ++core.counters.rtsp_connections_refused;
            socket.close(ec);
          } else {
            ++core.counters.rtsp_connections_accepted;
            const uint64_t id = core.next_connection_id++;
            auto connection = std::make_shared<RtspConnection>(core, std::move(socket), id);
            core.connections.emplace(id, connection);
            connection->start();
          }
        }
        accept_rtsp();
      });
}

void Relay::arm_housekeeping() {
  Running& r = *running_;
  std::weak_ptr<int> alive = r.alive;
  r.housekeeping.expires_after(config_.timeouts.revoke_check);
  r.housekeeping.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    running_->core->housekeeping();
    arm_housekeeping();
  });
}

std::string Relay::host_for_url(const ListenAddress& a) const {
  std::string host = a.host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return host;
}

std::string Relay::rtsp_url(std::string_view camera, std::string_view user,
                            std::string_view password) const {
  std::string creds;
  if (!user.empty()) creds = std::string(user) + ":" + std::string(password) + "@";
  return (config_.tls ? "rtsps://" : "rtsp://") + creds + host_for_url(config_.rtsp) + ":" +
         std::to_string(ports_.rtsp) + "/cameras/" + std::string(camera);
}

std::string Relay::http_base() const {
  return (config_.tls ? "https://" : "http://") + host_for_url(config_.http) + ":" +
         std::to_string(ports_.http);
}

std::string Relay::admin_base() const {
  return (config_.tls ? "https://" : "http://") + host_for_url(config_.admin) + ":" +
         std::to_string(ports_.admin);
}

RelayCounters Relay::counters() const {
  RelayCounters out;
  run_sync([&] {
    if (running_) out = running_->core->counters;
  });
  return out;
}

boost::json::object Relay::stats() const {
  boost::json::object out;
  run_sync([&] {
    if (running_) out = running_->core->stats_json();
  });
  return out;
}

}  // namespace camleak::relay
