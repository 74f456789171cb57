#include "harness/proxy/proxy_thread.hpp"

#include <boost/asio/post.hpp>
#include <future>

namespace camleak::proxy {

ProxyThread::ProxyThread(const Clock& clock, EventLog* events, ProxyOptions options,
                         const impair::Registry& registry)
    : work_(io_.get_executor()) {
  proxy_.emplace(io_, clock, events, options, registry);
  thread_ = std::thread([this] { io_.run(); });
}

void ProxyThread::run_on_io(const std::function<void()>& fn) {
  if (io_.get_executor().running_in_this_thread()) return fn();
  std::packaged_task<void()> task(fn);
  auto done = task.get_future();
  boost::asio::post(io_, [&task] { task(); });
  done.get();
}

ProxyThread::~ProxyThread() {
  proxy_->shutdown();
  work_.reset();
  io_.stop();
  thread_.join();
  proxy_.reset();
}

}  // namespace camleak::proxy
