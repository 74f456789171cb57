#include "emulators/relay/mapping_cache.hpp"

namespace camleak::relay {

MappingCache::MappingCache(boost::asio::any_io_executor executor, bool match_fifo)
    : executor_(std::move(executor)), match_fifo_(match_fifo) {}

MappingCache::~MappingCache() {
  cancel_all();
}

std::chrono::milliseconds MappingCache::latency(std::string_view camera) {
  // FNV-1a: stable across runs and platforms, unlike std::hash.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : camera) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return std::chrono::milliseconds{20 + static_cast<int64_t>(h % 101)};
}

void MappingCache::lookup(const std::string& camera, Done done) {
  const uint64_t id = next_id_++;
  if (match_fifo_) {
    fifo_.push_back(Request{id, camera, std::move(done)});
  } else {
    by_id_.emplace(id, Request{id, camera, std::move(done)});
  }
  // The "cache server" answers (request id, channel) after the device's latency.
  auto timer = std::make_shared<boost::asio::steady_timer>(executor_, latency(camera));
  timers_[id] = timer;
  std::weak_ptr<int> alive = alive_;
  timer->async_wait([this, alive, id, camera, timer](const boost::system::error_code& ec) {
    // Cancelled, or completed after cancel_all()/destruction: `this` may be gone.
    if (ec || alive.expired()) return;
    timers_.erase(id);
    complete(id, camera);
  });
}

void MappingCache::complete(uint64_t id, const std::string& channel) {
  Request request;
  if (match_fifo_) {
    // THE BUG: the answer is given to whoever waited longest, not to whoever asked.
    if (fifo_.empty()) return;
    request = std::move(fifo_.front());
    fifo_.pop_front();
  } else {
    const auto it = by_id_.find(id);
    if (it == by_id_.end()) return;
    request = std::move(it->second);
    by_id_.erase(it);
  }
  if (request.done) request.done(channel);
}

void MappingCache::cancel_all() {
  for (auto& [_, timer] : timers_) timer->cancel();
  timers_.clear();
  alive_ = std::make_shared<int>(0);
  fifo_.clear();
  by_id_.clear();
}

}  // namespace camleak::relay
