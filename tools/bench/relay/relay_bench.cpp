// Relay capacity benchmark (run by hand, prints figures; never part of the test suite).
//
// 1. Streams: N cameras publish 320x240 5 fps identity-stamped H.264 into the in-process relay,
//    one viewer each; for growing N, the fraction of frames the viewers did not receive. Reports
//    the largest N with < 1 % of frames dropped.
// 2. Fan-out: one camera at 25 fps, V viewers; relay CPU per frame per extra viewer (µs), from
//    process CPU time minus the client thread's own CPU time.
//
//   relay_bench [--seconds S] [--max-streams N]
#include <time.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "emulators/media/h264_loop.hpp"
#include "emulators/media/identity_stamper.hpp"
#include "emulators/relay/relay.hpp"
#include "emulators/rtsp/h264_packetizer.hpp"
#include "emulators/rtsp/rtp.hpp"
#include "emulators/rtsp/rtsp_client.hpp"
// The tests' loopback HTTP request (tests/support; this bench compiles its source).
#include "tests/support/loopback_http.hpp"

namespace {

using namespace camleak;
namespace asio = boost::asio;

double cpu_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

bool run_until(asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.run_one_for(std::chrono::milliseconds(10));
    io.poll();
  }
  return done();
}

// Publishes a pre-encoded loop at a fixed rate.
struct Camera {
  Camera(asio::io_context& io, const std::string& url, const std::string& name,
         std::shared_ptr<const media::H264Loop> loop, const media::RunKey& key)
      : timer(io), stamper(loop, key, name, "owner-" + name) {
    rtsp::RtspClientOptions o;
    o.url = url;
    o.user = name;
    o.password = "secret";
    client = rtsp::RtspClient::create(io, o);
    rtsp::H264SdpParams p;
    p.sps = loop->sps();
    p.pps = loop->pps();
    client->publish(rtsp::build_h264_sdp(p),
                    [this](const rtsp::ClientError& e, const rtsp::SessionInfo&) { ready = !e; });
    interval = std::chrono::microseconds(1'000'000 / loop->config().encoder.fps);
  }
  void start_sending(std::chrono::steady_clock::time_point until) {
    end = until;
    next = std::chrono::steady_clock::now();
    tick();
  }
  void tick() {
    if (std::chrono::steady_clock::now() >= end) return;
    const auto au = stamper.stamp(sent, sent, Micros{0});
    packetizer.packetize(au.nals, static_cast<uint32_t>(sent * 18000),
                         [&](std::span<const uint8_t> p) { client->send_rtp(p); });
    ++sent;
    next += interval;
    timer.expires_at(next);
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) tick();
    });
  }
  asio::steady_timer timer;
  media::IdentityStamper stamper;
  std::shared_ptr<rtsp::RtspClient> client;
  rtsp::H264Packetizer packetizer;
  std::chrono::microseconds interval{};
  std::chrono::steady_clock::time_point end, next;
  uint64_t sent = 0;
  bool ready = false;
};

// Counts frames (RTP packets with the marker bit) without decoding.
struct Viewer {
  Viewer(asio::io_context& io, const std::string& url, const std::string& account) {
    rtsp::RtspClientOptions o;
    o.url = url;
    o.user = account;
    o.password = "token";
    client = rtsp::RtspClient::create(io, o);
    client->on_rtp([this](std::span<const uint8_t> p) {
      if (counting && p.size() >= 2 && (p[1] & 0x80)) ++frames;
    });
    client->play([this](const rtsp::ClientError& e, const rtsp::SessionInfo&) { ready = !e; });
  }
  std::shared_ptr<rtsp::RtspClient> client;
  uint64_t frames = 0;
  bool counting = false;
  bool ready = false;
};

// Every camera publishing, or every viewer playing.
template <typename Client>
bool all_ready(const std::vector<std::unique_ptr<Client>>& clients) {
  return std::all_of(clients.begin(), clients.end(), [](const auto& c) { return c->ready; });
}

// Provisioning goes through the in-process admin API; a refusal ends the benchmark.
void admin_put(uint16_t port, const std::string& target, const std::string& body) {
  const loopback::HttpReply reply = loopback::http_request("PUT", port, target, body);
  if (reply.status != 200) {
    std::fprintf(stderr, "provisioning %s failed: %s\n", target.c_str(), reply.body.c_str());
    std::exit(3);
  }
}

void provision(const relay::Relay& r, int cameras, int accounts) {
  for (int a = 0; a < accounts; ++a) {
    admin_put(r.ports().admin, "/admin/accounts/acct-" + std::to_string(a), R"({"token":"token"})");
  }
  for (int c = 0; c < cameras; ++c) {
    admin_put(r.ports().admin, "/admin/cameras/cam-" + std::to_string(c),
              R"({"owner":"acct-)" + std::to_string(c % accounts) + R"(","secret":"secret"})");
  }
}

struct StreamsResult {
  double drop_fraction = 0;
  double relay_cpu_fraction = 0;  // of one core
  bool all_connected = true;
};

StreamsResult run_streams(int n, int seconds, std::shared_ptr<const media::H264Loop> loop) {
  relay::RelayConfig config;
  config.limits.max_connections = 100'000;
  relay::Relay r(config);
  r.start();
  provision(r, n, n);
  asio::io_context io;
  const media::RunKey key = media::run_key_from_seed(1);
  std::vector<std::unique_ptr<Camera>> cams;
  std::vector<std::unique_ptr<Viewer>> viewers;
  for (int i = 0; i < n; ++i) {
    const std::string name = "cam-" + std::to_string(i);
    cams.push_back(std::make_unique<Camera>(io, r.rtsp_url(name), name, loop, key));
  }
  StreamsResult result;
  result.all_connected = run_until(
      io, [&] { return all_ready(cams); }, std::chrono::seconds(60));
  for (int i = 0; i < n; ++i) {
    viewers.push_back(std::make_unique<Viewer>(io, r.rtsp_url("cam-" + std::to_string(i)),
                                               "acct-" + std::to_string(i)));
  }
  result.all_connected &= run_until(
      io, [&] { return all_ready(viewers); }, std::chrono::seconds(60));
  // Warm up for one GOP (2 s) so every viewer is past its first keyframe, then measure.
  const auto warmup = std::chrono::milliseconds(2500);
  for (auto& c : cams) {
    c->start_sending(std::chrono::steady_clock::now() + warmup + std::chrono::seconds(seconds));
  }
  run_until(
      io, [] { return false; }, warmup);
  std::vector<uint64_t> sent_before;
  for (auto& c : cams) sent_before.push_back(c->sent);
  for (auto& v : viewers) v->counting = true;
  const double process0 = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  const double client0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
  const auto t0 = std::chrono::steady_clock::now();
  run_until(
      io, [] { return false; }, std::chrono::seconds(seconds) + std::chrono::milliseconds(700));
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double client_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - client0;
  const double relay_cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - process0 - client_cpu;
  uint64_t sent = 0, received = 0;
  for (size_t i = 0; i < cams.size(); ++i) {
    const uint64_t in_window = cams[i]->sent - sent_before[i];
    sent += in_window;
    received += std::min(viewers[i]->frames, in_window);
  }
  result.drop_fraction =
      sent == 0 ? 1.0
                : 1.0 - static_cast<double>(std::min(received, sent)) / static_cast<double>(sent);
  result.relay_cpu_fraction = relay_cpu / wall;
  for (auto& v : viewers) v->client->close();
  for (auto& c : cams) c->client->close();
  io.poll();
  r.stop();
  return result;
}

// Relay CPU seconds for `viewers` viewers of one 25 fps camera over `seconds`, and frames sent.
std::pair<double, uint64_t> run_fanout(int viewers_n, int seconds,
                                       std::shared_ptr<const media::H264Loop> loop) {
  relay::RelayConfig config;
  config.limits.max_connections = 100'000;
  relay::Relay r(config);
  r.start();
  provision(r, 1, 1);
  asio::io_context io;
  const media::RunKey key = media::run_key_from_seed(1);
  Camera cam(io, r.rtsp_url("cam-0"), "cam-0", loop, key);
  run_until(
      io, [&] { return cam.ready; }, std::chrono::seconds(30));
  std::vector<std::unique_ptr<Viewer>> viewers;
  for (int i = 0; i < viewers_n; ++i)
    viewers.push_back(std::make_unique<Viewer>(io, r.rtsp_url("cam-0"), "acct-0"));
  run_until(
      io, [&] { return all_ready(viewers); }, std::chrono::seconds(60));
  const double process0 = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  const double client0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
  cam.start_sending(std::chrono::steady_clock::now() + std::chrono::seconds(seconds));
  run_until(
      io, [] { return false; }, std::chrono::seconds(seconds) + std::chrono::milliseconds(300));
  const double client_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - client0;
  const double relay_cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - process0 - client_cpu;
  for (auto& v : viewers) v->client->close();
  cam.client->close();
  io.poll();
  r.stop();
  return {relay_cpu, cam.sent};
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 5;
  int max_streams = 800;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--max-streams") == 0) max_streams = std::atoi(argv[i + 1]);
  }
  media::LoopConfig lc;
  lc.encoder.width = 320;
  lc.encoder.height = 240;
  lc.encoder.fps = 5;
  lc.encoder.gop = 10;
  lc.camera_code = 42;
  const auto loop5 = media::H264Loop::encode(lc);
  lc.encoder.fps = 25;
  lc.encoder.gop = 25;
  const auto loop25 = media::H264Loop::encode(lc);

  std::printf("== streams: N cameras (320x240, 5 fps) -> relay -> one viewer each, %d s per step\n",
              seconds);
  std::printf("%8s %12s %16s\n", "streams", "dropped %", "relay CPU (core)");
  int best = 0;
  for (int n = 25; n <= max_streams; n *= 2) {
    const auto res = run_streams(n, seconds, loop5);
    std::printf("%8d %11.2f%% %15.2f%s\n", n, res.drop_fraction * 100.0, res.relay_cpu_fraction,
                res.all_connected ? "" : "  (not all clients connected)");
    std::fflush(stdout);
    if (res.drop_fraction < 0.01 && res.all_connected)
      best = n;
    else
      break;
  }
  std::printf(
      "largest tested stream count with < 1%% frames dropped: %d "
      "(the client side runs in the same process on one thread and is usually the limit)\n",
      best);

  std::printf("\n== fan-out: one camera at 25 fps, V viewers, %d s per step\n", seconds);
  std::printf("%8s %14s %22s\n", "viewers", "relay CPU s", "us per frame per viewer");
  double prev_cpu = 0;
  int prev_v = 0;
  uint64_t frames = 1;
  for (int v : {1, 25, 50, 100, 200}) {
    const auto [cpu, sent] = run_fanout(v, seconds, loop25);
    frames = std::max<uint64_t>(sent, 1);
    const double per = prev_v == 0
                           ? cpu * 1e6 / (frames * v)
                           : (cpu - prev_cpu) * 1e6 / (static_cast<double>(frames) * (v - prev_v));
    std::printf("%8d %14.3f %22.2f%s\n", v, cpu, per,
                prev_v == 0 ? "  (total / viewer)" : "  (marginal)");
    std::fflush(stdout);
    prev_cpu = cpu;
    prev_v = v;
  }
  return 0;
}
