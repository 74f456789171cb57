#pragma once
// The hub's decode pool: a few worker threads that decode and identify frames OFF the I/O
// thread (H.264 decoding of a thousand streams would starve the sockets otherwise).
//
// Ordering: every stream is pinned to one worker when it is opened, and a worker runs its jobs
// in submission order, so the frames of one stream are decoded in order by one thread (a
// stream's decoder state needs exactly that) while different streams spread over the workers.
// Memory: each stream holds at most `max_queued` jobs; submit() beyond that drops the job and
// counts it (a pool that falls behind loses frames, never grows without bound).
// Lifetime: close_stream() returns only when no handler of that stream is running (unless it is
// called from that handler) and none will run again; stop() joins the workers.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness/core/clock.hpp"

namespace camleak::emulators {

struct DecodeJob {
  // A live frame: the NAL units of one access unit (no start codes). A snapshot: one element,
  // the HTTP body.
  std::vector<std::vector<uint8_t>> data;
  Micros received_at{};     // run clock, when the access unit / body was complete
  uint64_t generation = 0;  // changes when the stream's connection changes (decoder reset)
  // For streams that carry several sources (a hub's snapshots): which one this is.
  std::string source;
  bool probe = false;
};

class DecodePool {
 public:
  class Stream;
  using Handler = std::function<void(DecodeJob& job)>;

  // workers >= 1 (0 is taken as 1).
  explicit DecodePool(unsigned workers);
  ~DecodePool();
  DecodePool(const DecodePool&) = delete;
  DecodePool& operator=(const DecodePool&) = delete;

  // A new stream on the least-loaded worker. `handler` runs on that worker thread.
  std::shared_ptr<Stream> open_stream(Handler handler, std::size_t max_queued);
  // Queues a job. False (and the stream's dropped() grows) when the queue is full, the stream is
  // closed or the pool stopped.
  bool submit(const std::shared_ptr<Stream>& stream, DecodeJob&& job);
  // Discards queued jobs and waits until no handler of the stream runs. Idempotent.
  void close_stream(const std::shared_ptr<Stream>& stream);
  // Discards everything queued and joins the workers. Idempotent.
  void stop();

  unsigned workers() const { return static_cast<unsigned>(workers_.size()); }

 private:
  struct Worker;
  void run(Worker& worker);

  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex assign_mutex_;
};

class DecodePool::Stream {
 public:
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  uint64_t processed() const { return processed_.load(std::memory_order_relaxed); }
  std::size_t queued() const { return queued_.load(std::memory_order_relaxed); }
  unsigned worker() const { return worker_; }

 private:
  friend class DecodePool;
  Handler handler_;
  unsigned worker_ = 0;
  std::size_t max_queued_ = 0;
  bool closed_ = false;     // guarded by the worker's mutex
  bool in_flight_ = false;  // guarded by the worker's mutex
  std::atomic<std::size_t> queued_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> processed_{0};
};

}  // namespace camleak::emulators
