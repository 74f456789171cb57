#include "emulators/camera/camera_config.hpp"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "harness/core/errors.hpp"

namespace camleak::emulators {

void validate(const CameraConfig& c) {
  std::vector<Diagnostic> problems;
  auto bad = [&](const char* field, const char* message) {
    problems.push_back({.field = std::string("camera.") + field, .message = message});
  };
  if (c.name.empty() || c.name.size() > 255) bad("name", "must be 1..255 bytes");
  if (c.owner.empty() || c.owner.size() > 255) bad("owner", "must be 1..255 bytes");
  if (c.rtsp_host.empty()) bad("rtsp_host", "must not be empty");
  if (c.rtsp_port == 0) bad("rtsp_port", "must be a port number (1..65535)");
  if (c.fps <= 0 || c.fps > 240) bad("fps", "must be 1..240");
  if (c.gop <= 0) bad("gop", "must be positive");
  if (c.loop_gops <= 0) bad("loop_gops", "must be positive");
  if (c.max_rtp_payload < 64 || c.max_rtp_payload > 65'000)
    bad("max_rtp_payload", "must be 64..65000");
  if (c.connect_timeout.count() <= 0) bad("connect_timeout", "must be positive");
  if (c.request_timeout.count() <= 0) bad("request_timeout", "must be positive");
  if (c.send_log_bucket <= Micros{0}) bad("send_log_bucket", "must be positive");
  if (c.send_log_max_buckets == 0) bad("send_log_max_buckets", "must be at least 1");
  try {
    validate(c.backoff, "camera.backoff");
  } catch (const InputError& e) {
    problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
  }
  try {
    media::validate(loop_config(c).encoder);
  } catch (const InputError& e) {
    for (Diagnostic d : e.diagnostics()) {
      d.field = "camera." + d.field;
      problems.push_back(std::move(d));
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
}

std::string publish_url(const CameraConfig& config) {
  const bool v6 = config.rtsp_host.find(':') != std::string::npos;
  const std::string host = v6 ? "[" + config.rtsp_host + "]" : config.rtsp_host;
  return config.scheme + "://" + host + ":" + std::to_string(config.rtsp_port) +
         (config.publish_target.empty() ? "/cameras/" + config.name : config.publish_target);
}

media::LoopConfig loop_config(const CameraConfig& config) {
  media::LoopConfig loop;
  loop.encoder.width = config.width;
  loop.encoder.height = config.height;
  loop.encoder.fps = config.fps;
  loop.encoder.gop = config.gop;
  loop.encoder.bitrate_bps = config.bitrate_bps;
  loop.encoder.preset = config.preset;
  loop.encoder.threads = 1;
  loop.gops = config.loop_gops;
  loop.camera_code = config.pixel_code;
  return loop;
}

std::vector<std::shared_ptr<const media::H264Loop>> encode_loops(
    const std::vector<CameraConfig>& configs, unsigned threads,
    const std::atomic<bool>* interrupted) {
  std::vector<std::shared_ptr<const media::H264Loop>> loops(configs.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (std::size_t i = next++; i < configs.size(); i = next++) {
      if (interrupted && interrupted->load()) {
        next = configs.size();
        return;
      }
      try {
        loops[i] = media::H264Loop::encode(loop_config(configs[i]));
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = configs.size();  // stop everyone early
      }
    }
  };
  const unsigned n =
      std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(configs.size())));
  std::vector<std::jthread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  pool.clear();  // joins
  if (failure) std::rethrow_exception(failure);
  if (interrupted && interrupted->load())
    throw HarnessError("interrupted while encoding the cameras' video loops");
  return loops;
}

}  // namespace camleak::emulators
