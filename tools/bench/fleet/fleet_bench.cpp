// Fleet-scale cost of the emulators: loop encoding at startup, the camera side (stamp +
// packetize + send, one io thread), the hub side (receive + depacketize on one io thread, decode
// + identify on the pool) through the in-process reference relay. Prints figures only.
#include <pthread.h>
#include <sys/resource.h>
#include <time.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "emulators/camera/camera.hpp"
#include "emulators/hub/hub.hpp"
#include "emulators/media/media_error.hpp"
#include "emulators/relay/relay.hpp"
// The fleet tests' io thread and provisioning request (this bench compiles their sources).
#include "tests/integration/fleet/fleet_support.hpp"
#include "tests/support/loopback_http.hpp"

using namespace camleak;
using namespace camleak::emulators;
using Seconds = std::chrono::duration<double>;

namespace {

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

using fleet_test::IoThread;

// CPU time the io thread has used so far (read on that thread).
double cpu_seconds(IoThread& io) {
  double seconds = 0;
  io.run_sync([&] { seconds = thread_cpu_seconds(); });
  return seconds;
}

// Provisioning through the relay's admin API: a refusal ends the benchmark.
void put(uint16_t admin_port, const std::string& target, const std::string& body) {
  if (loopback::http_request("PUT", admin_port, target, body).status != 200)
    throw std::runtime_error("provisioning " + target + " failed");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("camleak fleet benchmark");
  int cameras = 100;
  double seconds = 5;
  int fps = 25;
  int width = 320;
  int height = 240;
  int gop = 25;
  unsigned decode_workers = 2;
  app.add_option("--cameras", cameras, "cameras (one hub watching each)");
  app.add_option("--seconds", seconds, "measured streaming time per phase");
  app.add_option("--fps", fps);
  app.add_option("--width", width);
  app.add_option("--height", height);
  app.add_option("--gop", gop);
  app.add_option("--decode-workers", decode_workers);
  CLI11_PARSE(app, argc, argv);
  media::quiet_ffmpeg_logging();

  relay::RelayConfig relay_config;
  relay_config.seed = 1;
  relay::Relay relay(relay_config);
  relay.start();
  for (int i = 0; i < cameras; ++i) {
    const std::string n = std::to_string(i);
    put(relay.ports().admin, "/admin/accounts/acct-" + n, R"({"token":"tok-)" + n + R"("})");
    put(relay.ports().admin, "/admin/cameras/cam-" + n,
        R"({"owner":"acct-)" + n + R"(","secret":"s"})");
  }

  std::vector<CameraConfig> configs;
  for (int i = 0; i < cameras; ++i) {
    CameraConfig c;
    c.name = "cam-" + std::to_string(i);
    c.owner = "acct-" + std::to_string(i);
    c.secret = "s";
    c.rtsp_port = relay.ports().rtsp;
    c.pixel_code = 1000 + static_cast<uint32_t>(i);
    c.width = width;
    c.height = height;
    c.fps = fps;
    c.gop = gop;
    configs.push_back(c);
  }
  const auto encode_start = std::chrono::steady_clock::now();
  const auto loops = encode_loops(configs, std::max(1u, std::thread::hardware_concurrency()));
  const double encode_s = Seconds(std::chrono::steady_clock::now() - encode_start).count();
  std::printf("loops: %d x %dx%d GOP %d encoded in %.2f s (%.1f ms per camera, %u threads)\n",
              cameras, width, height, gop, encode_s, 1000 * encode_s / cameras,
              std::thread::hardware_concurrency());

  SteadyClock clock;
  const media::RunKey key = media::run_key_from_seed(1);
  IdCounter ids;
  std::atomic<uint64_t> observations{0};
  std::atomic<uint64_t> identified{0};
  DecodePool pool(decode_workers);
  IoThread camera_io;
  IoThread hub_io;

  std::vector<std::shared_ptr<Camera>> fleet;
  for (int i = 0; i < cameras; ++i) {
    fleet.push_back(Camera::create(camera_io.io(), clock, configs[i], loops[i], key, ids, {}));
    fleet.back()->start();
  }
  auto total_frames = [&] {
    uint64_t n = 0;
    for (auto& c : fleet) n += c->counters().frames_sent;
    return n;
  };
  // Phase 1: cameras alone (the relay ingests, nobody watches).
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // bench warm-up, not a test wait
  double cam_cpu0 = cpu_seconds(camera_io);
  double proc0 = process_cpu_seconds();
  uint64_t frames0 = total_frames();
  auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(Seconds(seconds));
  double wall = Seconds(std::chrono::steady_clock::now() - t0).count();
  double cam_cpu = cpu_seconds(camera_io) - cam_cpu0;
  double proc = process_cpu_seconds() - proc0;
  uint64_t frames = total_frames() - frames0;
  std::printf(
      "cameras: %d at %d fps: %.0f frames/s sent; camera io thread %.1f%% of a core "
      "(%.1f us per frame); whole process incl. relay ingest %.1f%%\n",
      cameras, fps, frames / wall, 100 * cam_cpu / wall,
      1e6 * cam_cpu / std::max<uint64_t>(frames, 1), 100 * proc / wall);

  // Phase 2: one hub per camera.
  std::vector<std::shared_ptr<Hub>> hubs;
  HubHooks hooks;
  hooks.on_observation = [&](const Observation& o, const media::Picture&) {
    observations.fetch_add(1, std::memory_order_relaxed);
    if (o.sei && o.sei->hmac_valid && o.pixel_code)
      identified.fetch_add(1, std::memory_order_relaxed);
  };
  for (int i = 0; i < cameras; ++i) {
    HubConfig h;
    h.name = "hub-" + std::to_string(i);
    h.account = "acct-" + std::to_string(i);
    h.token = "tok-" + std::to_string(i);
    h.rtsp_port = relay.ports().rtsp;
    h.cameras = {"cam-" + std::to_string(i)};
    hubs.push_back(Hub::create(hub_io.io(), clock, h, key, ids, pool, hooks));
    hubs.back()->start();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  cam_cpu0 = cpu_seconds(camera_io);
  const double hub_cpu0 = cpu_seconds(hub_io);
  proc0 = process_cpu_seconds();
  frames0 = total_frames();
  const uint64_t obs0 = observations.load();
  const uint64_t id0 = identified.load();
  t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(Seconds(seconds));
  wall = Seconds(std::chrono::steady_clock::now() - t0).count();
  cam_cpu = cpu_seconds(camera_io) - cam_cpu0;
  const double hub_cpu = cpu_seconds(hub_io) - hub_cpu0;
  proc = process_cpu_seconds() - proc0;
  frames = total_frames() - frames0;
  const uint64_t obs = observations.load() - obs0;
  const uint64_t ids_ok = identified.load() - id0;
  uint64_t dropped = 0;
  HubCounters sum;
  for (auto& h : hubs) {
    const HubCounters c = h->counters();
    dropped += c.access_units_dropped;
    sum.play_ok += c.play_ok;
    sum.play_failed += c.play_failed + c.play_indeterminate;
    sum.frames_decoded += c.frames_decoded;
    sum.frames_corrupt += c.frames_corrupt;
    sum.frames_without_pixel_code += c.frames_without_pixel_code;
    sum.access_units_complete += c.access_units_complete;
  }
  std::printf(
      "hub totals: play ok %llu, failed %llu, AUs complete %llu, decoded %llu, corrupt %llu, "
      "without pixel code %llu\n",
      static_cast<unsigned long long>(sum.play_ok),
      static_cast<unsigned long long>(sum.play_failed),
      static_cast<unsigned long long>(sum.access_units_complete),
      static_cast<unsigned long long>(sum.frames_decoded),
      static_cast<unsigned long long>(sum.frames_corrupt),
      static_cast<unsigned long long>(sum.frames_without_pixel_code));
  std::printf(
      "hubs: %d watching: %.0f observations/s (%.1f%% fully identified), %llu AUs dropped by the "
      "decode pool; hub io thread %.1f%%; camera io %.1f%%; decode pool + relay = %.1f%%; whole "
      "process %.1f%% (%.2f cores) for %.0f frames/s\n",
      cameras, obs / wall, obs ? 100.0 * ids_ok / obs : 0.0,
      static_cast<unsigned long long>(dropped), 100 * hub_cpu / wall, 100 * cam_cpu / wall,
      100 * (proc - hub_cpu - cam_cpu) / wall, 100 * proc / wall, proc / wall, frames / wall);

  hub_io.run_sync([&] {
    for (auto& h : hubs) h->stop();
  });
  camera_io.run_sync([&] {
    for (auto& c : fleet) c->stop();
  });
  relay.stop();
  pool.stop();
  return 0;
}
