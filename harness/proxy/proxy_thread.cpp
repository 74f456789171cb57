#include "harness/proxy/proxy_thread.hpp"

namespace camleak::proxy {

ProxyThread::ProxyThread(const Clock& clock, EventLog* events, ProxyOptions options,
                         const impair::Registry& registry)
    : work_(io_.get_executor()) {
  proxy_.emplace(io_, clock, events, options, registry);
  thread_ = std::thread([this] { io_.run(); });
}

ProxyThread::~ProxyThread() {
  proxy_->shutdown();
  work_.reset();
  io_.stop();
  thread_.join();
  proxy_.reset();
}

}  // namespace camleak::proxy
