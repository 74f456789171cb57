// Small tools for tools/bench/proxy/run_bench.sh (run by hand; prints figures, asserts nothing):
//   serve    --link listen,upstream[,latency_ms[,jitter_ms[,distribution]]] ...
//            a camleak proxy in the foreground until SIGINT/SIGTERM
//   echo     --port P                       a TCP echo server
//   pingpong --port P [--count N] [--size B] round trips of B-byte messages: p50/p99 in us
//   accuracy --conns N --latency MS [--jitter MS --distribution D] [--seconds S] [--peers-nice N]
//            in-process echo server + camleak link with a downstream latency toxic; N
//            connections each send a message every 100 ms; prints the error of the measured
//            round trip against the configured delay (quantile against quantile)
//   idle     --port P --conns N --pid PID   RSS of PID before/after N idle connections
//   links    --count N                      N links at once: creation time, RSS per link
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/core/event_log.hpp"
#include "harness/proxy/proxy.hpp"
#include "harness/proxy/proxy_thread.hpp"

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

std::map<std::string, std::vector<std::string>> parse_args(int argc, char** argv) {
  std::map<std::string, std::vector<std::string>> out;
  for (int i = 2; i + 1 < argc; i += 2) out[argv[i]].push_back(argv[i + 1]);
  return out;
}
std::string arg(const std::map<std::string, std::vector<std::string>>& a, const std::string& k,
                const std::string& fallback) {
  const auto it = a.find(k);
  return it == a.end() ? fallback : it->second.back();
}
tcp::endpoint loopback(uint16_t port) {
  return {asio::ip::make_address("127.0.0.1"), port};
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(std::ceil(p / 100.0 * v.size())) - 1);
  return v[i];
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t i = 0;
  for (;;) {
    const size_t j = s.find(sep, i);
    out.push_back(s.substr(i, j - i));
    if (j == std::string::npos) return out;
    i = j + 1;
  }
}

// ---- echo server ----
class Echo {
 public:
  Echo(asio::io_context& io, uint16_t port) : acceptor_(io, loopback(port)) { accept(); }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  struct Conn : std::enable_shared_from_this<Conn> {
    explicit Conn(tcp::socket s) : socket(std::move(s)) { socket.set_option(tcp::no_delay(true)); }
    void run() {
      socket.async_read_some(asio::buffer(buf), [self = shared_from_this()](auto ec, size_t n) {
        if (ec) return;
        asio::async_write(self->socket, asio::buffer(self->buf, n), [self](auto e, size_t) {
          if (!e) self->run();
        });
      });
    }
    tcp::socket socket;
    std::array<char, 16384> buf{};
  };
  void accept() {
    acceptor_.async_accept([this](auto ec, tcp::socket s) {
      if (!ec) std::make_shared<Conn>(std::move(s))->run();
      accept();
    });
  }
  tcp::acceptor acceptor_;
};

int serve(const std::map<std::string, std::vector<std::string>>& a) {
  camleak::SteadyClock clock;
  camleak::EventLog events;
  camleak::proxy::ProxyThread runner(clock, &events);
  int n = 0;
  for (const auto& spec : a.count("--link") ? a.at("--link") : std::vector<std::string>{}) {
    const auto f = split(spec, ',');
    std::vector<camleak::impair::StageSpec> stages;
    if (f.size() > 2) {
      camleak::impair::Attributes attrs{{"latency", int64_t{std::stoll(f[2])}}};
      if (f.size() > 3) attrs["jitter"] = int64_t{std::stoll(f[3])};
      if (f.size() > 4) attrs["distribution"] = f[4];
      stages.push_back({.type = "latency", .attributes = attrs});
    }
    runner.proxy().add_link(
        {.name = "l" + std::to_string(n++), .listen = f.at(0), .upstream = f.at(1)}, stages);
  }
  asio::io_context main_io;
  asio::signal_set signals(main_io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { main_io.stop(); });
  std::printf("ready\n");
  std::fflush(stdout);
  main_io.run();
  return 0;
}

int echo(const std::map<std::string, std::vector<std::string>>& a) {
  asio::io_context io(1);
  Echo server(io, static_cast<uint16_t>(std::stoi(arg(a, "--port", "0"))));
  std::printf("ready %u\n", server.port());
  std::fflush(stdout);
  io.run();
  return 0;
}

int pingpong(const std::map<std::string, std::vector<std::string>>& a) {
  const auto port = static_cast<uint16_t>(std::stoi(arg(a, "--port", "0")));
  const int count = std::stoi(arg(a, "--count", "20000"));
  const size_t size = std::stoul(arg(a, "--size", "64"));
  asio::io_context io;
  tcp::socket s(io);
  s.connect(loopback(port));
  s.set_option(tcp::no_delay(true));
  std::vector<char> msg(size, 'p'), back(size);
  std::vector<double> rtt;
  rtt.reserve(count);
  for (int i = 0; i < count + 500; ++i) {
    const auto t0 = Clock::now();
    asio::write(s, asio::buffer(msg));
    asio::read(s, asio::buffer(back));
    if (i >= 500)
      rtt.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::printf("p50_us %.1f p99_us %.1f\n", percentile(rtt, 50), percentile(rtt, 99));
  return 0;
}

// The normal distribution's quantile, for the expected delays with jitter.
double normal_quantile(double p) {
  // Acklam's rational approximation (relative error < 1.2e-9).
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -normal_quantile(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

int accuracy(const std::map<std::string, std::vector<std::string>>& a) {
  const int conns = std::stoi(arg(a, "--conns", "1"));
  const double latency = std::stod(arg(a, "--latency", "50"));
  const double jitter = std::stod(arg(a, "--jitter", "0"));
  const std::string distribution = arg(a, "--distribution", "normal");
  const double seconds = std::stod(arg(a, "--seconds", "3"));
  // The echo server and the measuring client share this machine's cores with the proxy. A
  // positive value lowers their priority (nice) so that the proxy thread is not kept waiting
  // for a core behind them: the error measured is then the proxy's own.
  const int peers_nice = std::stoi(arg(a, "--peers-nice", "0"));
  const auto lower_this_thread = [peers_nice] {
    if (peers_nice > 0) setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), peers_nice);
  };

  asio::io_context server_io(1);
  Echo server(server_io, 0);
  std::thread server_thread([&] {
    lower_this_thread();
    server_io.run();
  });

  camleak::SteadyClock clock;
  camleak::EventLog events(10);
  camleak::proxy::ProxyThread proxy(clock, &events);
  camleak::impair::Attributes attrs{{"latency", static_cast<int64_t>(latency)}};
  if (jitter > 0) {
    attrs["jitter"] = static_cast<int64_t>(jitter);
    attrs["distribution"] = distribution;
  }
  const auto port =
      proxy.proxy()
          .add_link({.name = "acc", .upstream = "127.0.0.1:" + std::to_string(server.port())},
                    {{.type = "latency", .attributes = attrs}})
          .port;

  asio::io_context io(1);
  struct Client {
    explicit Client(asio::io_context& io) : socket(io), timer(io) {}
    tcp::socket socket;
    asio::steady_timer timer;
    std::array<char, 16> out{}, in{};
    Clock::time_point sent;
  };
  std::vector<double> rtt_ms;
  std::vector<std::unique_ptr<Client>> clients;
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(seconds + 0.5));
  const auto warm = Clock::now() + 500ms;
  std::mt19937 rng(1);
  std::function<void(Client&)> send = [&](Client& c) {
    c.sent = Clock::now();
    asio::async_write(c.socket, asio::buffer(c.out), [&](auto ec, size_t) {
      if (ec) return;
      asio::async_read(c.socket, asio::buffer(c.in), [&](auto e, size_t) {
        if (e) return;
        const auto now = Clock::now();
        if (now > warm) {
          rtt_ms.push_back(std::chrono::duration<double, std::milli>(now - c.sent).count());
        }
        if (now > end) return;
        c.timer.expires_at(c.sent + 100ms);
        c.timer.async_wait([&](auto) { send(c); });
      });
    });
  };
  for (int i = 0; i < conns; ++i) {
    clients.push_back(std::make_unique<Client>(io));
    auto& c = *clients.back();
    c.socket.connect(loopback(port));
    c.socket.set_option(tcp::no_delay(true));
    c.timer.expires_after(std::chrono::microseconds(rng() % 100'000));  // spread the phases
    c.timer.async_wait([&](auto) { send(c); });
  }
  lower_this_thread();
  io.run();
  const auto stats = proxy.proxy().stats("acc");
  for (auto& c : clients) c->socket.close();
  server_io.stop();
  server_thread.join();

  std::printf("samples %zu (proxy's own added delay downstream: p50 %.3f ms, p99 %.3f ms)\n",
              rtt_ms.size(), stats.downstream.delay.percentile(50).count() / 1000.0,
              stats.downstream.delay.percentile(99).count() / 1000.0);
  for (double p : {50.0, 99.0}) {
    const double expected = latency + jitter * (jitter > 0 ? normal_quantile(p / 100.0) : 0.0);
    const double measured = percentile(rtt_ms, p);
    std::printf("p%.0f expected_ms %.3f measured_ms %.3f error_ms %+.3f\n", p, expected, measured,
                measured - expected);
  }
  if (jitter == 0) {
    std::vector<double> err;
    for (double r : rtt_ms) err.push_back(r - latency);
    std::printf("per-message error_ms p50 %+.3f p99 %+.3f\n", percentile(err, 50),
                percentile(err, 99));
  }
  return 0;
}

long rss_kb(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

int idle(const std::map<std::string, std::vector<std::string>>& a) {
  const auto port = static_cast<uint16_t>(std::stoi(arg(a, "--port", "0")));
  const int conns = std::stoi(arg(a, "--conns", "1000"));
  const int pid = std::stoi(arg(a, "--pid", "0"));
  asio::io_context io;
  const long before = rss_kb(pid);
  std::vector<tcp::socket> sockets;
  char byte = 'x';
  for (int i = 0; i < conns; ++i) {
    sockets.emplace_back(io);
    sockets.back().connect(loopback(port));
    // One round trip so the connection is fully set up on both sides of the proxy.
    asio::write(sockets.back(), asio::buffer(&byte, 1));
    asio::read(sockets.back(), asio::buffer(&byte, 1));
  }
  std::this_thread::sleep_for(300ms);  // a benchmark, not a test: let the RSS settle
  const long after = rss_kb(pid);
  std::printf("rss_before_kb %ld rss_after_kb %ld per_conn_bytes %.0f\n", before, after,
              (after - before) * 1024.0 / conns);
  return 0;
}

// Many links at once (fleet scale: one link per camera and hub): time to create them, RSS
// per link, and a round trip through a sample of them.
int links(const std::map<std::string, std::vector<std::string>>& a) {
  const int count = std::stoi(arg(a, "--count", "3000"));
  asio::io_context server_io(1);
  Echo server(server_io, 0);
  std::thread server_thread([&] { server_io.run(); });
  camleak::SteadyClock clock;
  camleak::EventLog events;
  camleak::proxy::ProxyThread runner(clock, &events);
  const long before = rss_kb(::getpid());
  const auto t0 = Clock::now();
  std::vector<uint16_t> ports;
  for (int i = 0; i < count; ++i) {
    ports.push_back(runner.proxy()
                        .add_link({.name = "link" + std::to_string(i),
                                   .upstream = "127.0.0.1:" + std::to_string(server.port())})
                        .port);
  }
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  const long after = rss_kb(::getpid());
  asio::io_context io;
  int ok = 0;
  for (int i = 0; i < count; i += std::max(1, count / 50)) {
    tcp::socket s(io);
    s.connect(loopback(ports[i]));
    char byte = 'x';
    asio::write(s, asio::buffer(&byte, 1));
    asio::read(s, asio::buffer(&byte, 1));
    ok += byte == 'x';
  }
  std::printf("links %d created_in_ms %.0f rss_per_link_bytes %.0f sampled_round_trips_ok %d\n",
              count, ms, (after - before) * 1024.0 / count, ok);
  runner.proxy().shutdown();
  server_io.stop();
  server_thread.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: proxy_bench serve|echo|pingpong|accuracy|idle [--opt value]...\n");
    return 2;
  }
  const std::string mode = argv[1];
  const auto a = parse_args(argc, argv);
  if (mode == "serve") return serve(a);
  if (mode == "echo") return echo(a);
  if (mode == "pingpong") return pingpong(a);
  if (mode == "accuracy") return accuracy(a);
  if (mode == "idle") return idle(a);
  if (mode == "links") return links(a);
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
