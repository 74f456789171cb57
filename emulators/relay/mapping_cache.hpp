#pragma once
// Defect `storm-mapping-mixup` (February 2024 incident class).
//
// When a camera that was seen before re-connects, the relay resolves its channel/owner mapping
// through this asynchronous "mapping cache" (a simulated cache or database round trip whose
// latency is deterministic per device: 20..120 ms from a hash of the camera name). First-time
// connections use the authoritative path and never come here.
//
// The bug: lookup results are matched to pending requests by queue position (FIFO) instead of
// by request id. With one reconnect at a time the queue holds one request and FIFO is right.
// Under a burst of concurrent reconnects, lookups complete out of order (a faster device's
// result arrives first) and the result for camera B is handed to the request of camera A:
// A's ingest is attached to B's channel and vice versa, so viewers and snapshots of one camera
// show the other's frames. With the defect off, results are matched by request id.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace camleak::relay {

class MappingCache {
 public:
  // Receives the channel (camera name) the lookup resolved to.
  using Done = std::function<void(const std::string& channel)>;

  MappingCache(boost::asio::any_io_executor executor, bool match_fifo);
  ~MappingCache();

  // The simulated round trip of `camera`: 20..120 ms, the same for every call.
  static std::chrono::milliseconds latency(std::string_view camera);

  void lookup(const std::string& camera, Done done);
  // Drops every pending lookup without calling it (relay stop).
  void cancel_all();
  size_t pending() const { return fifo_.size() + by_id_.size(); }

 private:
  struct Request {
    uint64_t id = 0;
    std::string camera;
    Done done;
  };
  void complete(uint64_t id, const std::string& channel);

  boost::asio::any_io_executor executor_;
  bool match_fifo_;
  uint64_t next_id_ = 1;
  std::deque<Request> fifo_;           // defect on
  std::map<uint64_t, Request> by_id_;  // defect off
  std::map<uint64_t, std::shared_ptr<boost::asio::steady_timer>> timers_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // expires on cancel_all/destruction
};

}  // namespace camleak::relay
