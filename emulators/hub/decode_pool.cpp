#include "emulators/hub/decode_pool.hpp"

#include <algorithm>

namespace camleak::emulators {

struct DecodePool::Worker {
  std::mutex mutex;
  std::condition_variable wake;     // a job arrived or stopping
  std::condition_variable settled;  // a handler finished (close_stream waits on it)
  std::deque<std::pair<std::shared_ptr<Stream>, DecodeJob>> jobs;
  bool stopping = false;
  std::size_t streams = 0;  // open streams assigned (for balancing)
  std::thread thread;
};

DecodePool::DecodePool(unsigned workers) {
  workers = std::max(1u, workers);
  for (unsigned i = 0; i < workers; ++i) workers_.push_back(std::make_unique<Worker>());
  for (auto& w : workers_) w->thread = std::thread([this, worker = w.get()] { run(*worker); });
}

DecodePool::~DecodePool() {
  stop();
}

std::shared_ptr<DecodePool::Stream> DecodePool::open_stream(Handler handler,
                                                            std::size_t max_queued) {
  auto stream = std::make_shared<Stream>();
  stream->handler_ = std::move(handler);
  stream->max_queued_ = std::max<std::size_t>(1, max_queued);
  std::lock_guard assign(assign_mutex_);
  unsigned best = 0;
  for (unsigned i = 1; i < workers_.size(); ++i) {
    if (workers_[i]->streams < workers_[best]->streams) best = i;
  }
  ++workers_[best]->streams;
  stream->worker_ = best;
  return stream;
}

bool DecodePool::submit(const std::shared_ptr<Stream>& stream, DecodeJob&& job) {
  Worker& w = *workers_[stream->worker_];
  {
    std::lock_guard lock(w.mutex);
    if (stream->closed_ || w.stopping ||
        stream->queued_.load(std::memory_order_relaxed) >= stream->max_queued_) {
      stream->dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    stream->queued_.fetch_add(1, std::memory_order_relaxed);
    w.jobs.emplace_back(stream, std::move(job));
  }
  w.wake.notify_one();
  return true;
}

void DecodePool::close_stream(const std::shared_ptr<Stream>& stream) {
  Worker& w = *workers_[stream->worker_];
  {
    std::unique_lock lock(w.mutex);
    if (!stream->closed_) {
      stream->closed_ = true;
      std::lock_guard assign(assign_mutex_);
      --w.streams;
    }
    // Called from the stream's own handler: it is running right now, do not wait for itself.
    if (std::this_thread::get_id() != w.thread.get_id()) {
      w.settled.wait(lock, [&] { return !stream->in_flight_; });
    }
  }
  // Queued jobs of a closed stream are discarded by the worker when it reaches them; the
  // handler (and what it captured) is released now.
  std::lock_guard lock(w.mutex);
  if (!stream->in_flight_) stream->handler_ = nullptr;
}

void DecodePool::stop() {
  for (auto& w : workers_) {
    {
      std::lock_guard lock(w->mutex);
      w->stopping = true;
    }
    w->wake.notify_all();
  }
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
    std::lock_guard lock(w->mutex);
    w->jobs.clear();
  }
}

void DecodePool::run(Worker& w) {
  std::unique_lock lock(w.mutex);
  for (;;) {
    w.wake.wait(lock, [&] { return w.stopping || !w.jobs.empty(); });
    if (w.stopping) return;
    auto [stream, job] = std::move(w.jobs.front());
    w.jobs.pop_front();
    stream->queued_.fetch_sub(1, std::memory_order_relaxed);
    if (stream->closed_ || !stream->handler_) continue;
    stream->in_flight_ = true;
    lock.unlock();
    stream->handler_(job);
    stream->processed_.fetch_add(1, std::memory_order_relaxed);
    lock.lock();
    stream->in_flight_ = false;
    if (stream->closed_) stream->handler_ = nullptr;
    w.settled.notify_all();
  }
}

}  // namespace camleak::emulators
