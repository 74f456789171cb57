#pragma once
// A Proxy with its own io_context and thread: what the runner and the tests use.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <optional>
#include <thread>

#include "harness/proxy/proxy.hpp"

namespace camleak::proxy {

class ProxyThread {
 public:
  ProxyThread(const Clock& clock, EventLog* events, ProxyOptions options = {},
              const impair::Registry& registry = impair::Registry::builtin());
  // Closes every link, stops the io_context and joins the thread.
  ~ProxyThread();
  ProxyThread(const ProxyThread&) = delete;
  ProxyThread& operator=(const ProxyThread&) = delete;

  Proxy& proxy() { return *proxy_; }
  boost::asio::io_context& io() { return io_; }
  // Runs `fn` on the proxy's thread and waits for it (rethrowing what it throws): for objects
  // that live on that io_context, such as the ControlApi.
  void run_on_io(const std::function<void()>& fn);

 private:
  boost::asio::io_context io_{1};
  std::optional<Proxy> proxy_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace camleak::proxy
