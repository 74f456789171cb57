#include "fleet_support.hpp"

#include <boost/asio/post.hpp>
#include <future>

namespace camleak::fleet_test {

namespace asio = boost::asio;

IoThread::IoThread() : work_(asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}

IoThread::~IoThread() {
  stop();
}

void IoThread::run_sync(const std::function<void()>& fn) {
  std::promise<void> done;
  asio::post(io_, [&] {
    fn();
    done.set_value();
  });
  done.get_future().wait();
}

void IoThread::stop() {
  if (!thread_.joinable()) return;
  work_.reset();
  io_.stop();
  thread_.join();
}

emulators::OperationSink Recorder::operation_sink() {
  return [this](const Operation& op) {
    {
      std::lock_guard lock(mutex_);
      operations_.push_back(op);
    }
    changed_.notify_all();
  };
}

emulators::ObservationSink Recorder::observation_sink() {
  return [this](const Observation& o, const media::Picture& picture) {
    {
      std::lock_guard lock(mutex_);
      observations_.push_back(o);
      if (!picture.empty()) ++pictures_;
    }
    changed_.notify_all();
  };
}

bool Recorder::wait(
    const std::function<bool(const std::vector<Observation>&, const std::vector<Operation>&)>& pred,
    std::chrono::milliseconds deadline) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, deadline, [&] { return pred(observations_, operations_); });
}

std::vector<Observation> Recorder::observations() const {
  std::lock_guard lock(mutex_);
  return observations_;
}

std::vector<Operation> Recorder::operations() const {
  std::lock_guard lock(mutex_);
  return operations_;
}

std::size_t Recorder::pictures_seen() const {
  std::lock_guard lock(mutex_);
  return pictures_;
}

std::size_t count_ops(const std::vector<Operation>& ops, OperationType type,
                      std::optional<CompletionType> completion, const std::string& process) {
  std::size_t n = 0;
  for (const Operation& op : ops) {
    if (op.type != type) continue;
    if (completion && op.completion != *completion) continue;
    if (!process.empty() && op.process != process) continue;
    ++n;
  }
  return n;
}

std::size_t count_observations(const std::vector<Observation>& obs, const std::string& hub,
                               DeliveryKind kind, bool only_ok) {
  std::size_t n = 0;
  for (const Observation& o : obs) {
    if (o.hub == hub && o.kind == kind && (!only_ok || o.status == DecodeStatus::ok)) ++n;
  }
  return n;
}

std::size_t count_decoded_after(const std::vector<Observation>& obs, Micros since) {
  std::size_t n = 0;
  for (const Observation& o : obs)
    if (o.status == DecodeStatus::ok && o.received_at > since) ++n;
  return n;
}

bool probed_both_ways(const std::vector<Operation>& ops, std::size_t n) {
  return count_ops(ops, OperationType::probe_play) >= n &&
         count_ops(ops, OperationType::probe_snapshot) >= n;
}

emulators::CameraConfig small_camera(const std::string& name, const std::string& owner,
                                     const std::string& secret, uint32_t code, uint16_t port) {
  emulators::CameraConfig c;
  c.name = name;
  c.owner = owner;
  c.secret = secret;
  c.rtsp_port = port;
  c.pixel_code = code;
  c.width = 160;
  c.height = 96;
  c.fps = 25;
  c.gop = 10;
  c.bitrate_bps = 200'000;
  c.backoff.initial = Micros{20'000};
  c.backoff.maximum = Micros{200'000};
  c.connect_timeout = 2s;
  c.request_timeout = 2s;
  return c;
}

}  // namespace camleak::fleet_test
