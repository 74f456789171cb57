#include "emulators/hub/decode_pool.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace camleak::emulators {
namespace {

using namespace std::chrono_literals;

// A condition the test waits on with a deadline (no sleeps).
class Signal {
 public:
  void notify(const std::function<void()>& change = {}) {
    {
      std::lock_guard lock(mutex_);
      if (change) change();
    }
    cv_.notify_all();
  }
  template <typename Pred>
  bool wait(Pred pred, std::chrono::milliseconds deadline = 10s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, deadline, pred);
  }
  std::mutex& mutex() { return mutex_; }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
};

// A stream handler that keeps its worker busy: each job says it has entered, waits until
// release(), then counts itself finished. State under signal's mutex.
struct HeldHandler {
  explicit HeldHandler(Signal& signal) : signal(signal) {}
  DecodePool::Handler handler() {
    return [this](DecodeJob&) {
      signal.notify([&] { entered = true; });
      signal.wait([&] { return released; });
      signal.notify([&] { ++finished; });
    };
  }
  bool wait_entered() {
    return signal.wait([&] { return entered; });
  }
  void release() {
    signal.notify([&] { released = true; });
  }

  Signal& signal;
  bool entered = false;
  bool released = false;
  int finished = 0;
};

DecodeJob job_with(uint64_t value) {
  DecodeJob job;
  job.generation = value;
  return job;
}

TEST(DecodePool, FramesOfAStreamRunInOrderOnOneWorker) {
  DecodePool pool(2);
  constexpr int kStreams = 6;
  constexpr uint64_t kJobs = 200;
  Signal signal;
  std::map<int, std::vector<uint64_t>> seen;
  std::map<int, std::set<std::thread::id>> threads;
  uint64_t total = 0;
  std::vector<std::shared_ptr<DecodePool::Stream>> streams;
  for (int s = 0; s < kStreams; ++s) {
    streams.push_back(pool.open_stream(
        [&, s](DecodeJob& job) {
          signal.notify([&] {
            seen[s].push_back(job.generation);
            threads[s].insert(std::this_thread::get_id());
            ++total;
          });
        },
        kJobs));
  }
  std::set<unsigned> workers_used;
  for (const auto& stream : streams) workers_used.insert(stream->worker());
  EXPECT_EQ(workers_used.size(), 2u);  // streams are spread over the workers

  for (uint64_t i = 0; i < kJobs; ++i) {
    for (auto& stream : streams) ASSERT_TRUE(pool.submit(stream, job_with(i)));
  }
  ASSERT_TRUE(signal.wait([&] { return total == kStreams * kJobs; }));
  std::lock_guard lock(signal.mutex());
  for (int s = 0; s < kStreams; ++s) {
    ASSERT_EQ(seen[s].size(), kJobs);
    for (uint64_t i = 0; i < kJobs; ++i) ASSERT_EQ(seen[s][i], i) << "stream " << s;
    EXPECT_EQ(threads[s].size(), 1u) << "stream " << s << " ran on several threads";
  }
}

TEST(DecodePool, AFullQueueDropsAndCounts) {
  DecodePool pool(1);
  Signal signal;
  HeldHandler held(signal);
  auto stream = pool.open_stream(held.handler(), 4);
  ASSERT_TRUE(pool.submit(stream, job_with(0)));
  ASSERT_TRUE(held.wait_entered());  // the worker is busy with job 0
  for (int i = 1; i <= 4; ++i) EXPECT_TRUE(pool.submit(stream, job_with(i)));
  EXPECT_FALSE(pool.submit(stream, job_with(5)));
  EXPECT_FALSE(pool.submit(stream, job_with(6)));
  EXPECT_EQ(stream->dropped(), 2u);
  EXPECT_EQ(stream->queued(), 4u);
  held.release();
  ASSERT_TRUE(signal.wait([&] { return held.finished == 5; }));
  EXPECT_EQ(stream->dropped(), 2u);
}

TEST(DecodePool, ClosedStreamsRunNothingMore) {
  DecodePool pool(1);
  Signal signal;
  HeldHandler held(signal);
  int b_runs = 0;
  auto a = pool.open_stream(held.handler(), 8);
  auto b = pool.open_stream([&](DecodeJob&) { signal.notify([&] { ++b_runs; }); }, 8);
  ASSERT_EQ(a->worker(), b->worker());
  ASSERT_TRUE(pool.submit(a, job_with(0)));
  ASSERT_TRUE(held.wait_entered());
  ASSERT_TRUE(pool.submit(b, job_with(1)));
  ASSERT_TRUE(pool.submit(b, job_with(2)));
  pool.close_stream(b);  // b is not running: returns at once, its queued jobs are discarded
  EXPECT_FALSE(pool.submit(b, job_with(3)));

  // Closing a stream whose handler runs waits for that handler.
  bool finished_when_closed = false;
  std::thread closer([&] {
    pool.close_stream(a);
    std::lock_guard lock(signal.mutex());
    finished_when_closed = held.finished == 1;
  });
  held.release();
  closer.join();
  EXPECT_TRUE(finished_when_closed);
  // A marker stream on the same worker proves the queue was drained past b's jobs.
  bool marker = false;
  auto c = pool.open_stream([&](DecodeJob&) { signal.notify([&] { marker = true; }); }, 1);
  ASSERT_TRUE(pool.submit(c, job_with(9)));
  ASSERT_TRUE(signal.wait([&] { return marker; }));
  std::lock_guard lock(signal.mutex());
  EXPECT_EQ(b_runs, 0);
}

TEST(DecodePool, SubmitAfterStopIsRefused) {
  DecodePool pool(2);
  auto stream = pool.open_stream([](DecodeJob&) {}, 4);
  pool.stop();
  EXPECT_FALSE(pool.submit(stream, job_with(0)));
  EXPECT_EQ(stream->dropped(), 1u);
  pool.stop();  // idempotent
}

}  // namespace
}  // namespace camleak::emulators
