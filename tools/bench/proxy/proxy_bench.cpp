// Small tools for tools/bench/proxy/run_bench.sh (run by hand; prints figures, asserts nothing):
//   serve    --link listen,upstream[,latency_ms[,jitter_ms[,distribution]]] ...
//            a camleak proxy in the foreground until SIGINT/SIGTERM
//   echo     --port P                       a TCP echo server
//   pingpong --port P [--count N] [--size B] round trips of B-byte messages: p50/p99 in us
//   accuracy --conns N --latency MS [--jitter MS --distribution D] [--seconds S] [--peers-nice N]
//            in-process echo server + camleak link with a downstream latency toxic; N
//            connections each send a 16-byte message every 100 ms in evenly spread slots;
//            prints each message's error against the delay the proxy drew for it, for the
//            round trip and for the proxy's leg alone
//   idle     --port P --conns N --pid PID   RSS of PID before/after N idle connections
//   links    --count N                      N links at once: creation time, RSS per link
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
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
#include "harness/impair/chain.hpp"
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
double realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

// The accuracy client's message: the echo server writes the moment it sends the echo back, so
// the client can time the proxy's downstream leg alone (echo's send to the client's socket).
struct Stamped {
  double echo_sent_ns = 0;
  double unused = 0;
};
static_assert(sizeof(Stamped) == 16);

class Echo {
 public:
  // stamp: a whole 16-byte message gets the echo's send time (Stamped).
  Echo(asio::io_context& io, uint16_t port, bool stamp = false)
      : acceptor_(io, loopback(port)), stamp_(stamp) {
    accept();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  struct Conn : std::enable_shared_from_this<Conn> {
    Conn(tcp::socket s, bool stamp) : socket(std::move(s)), stamp(stamp) {
      socket.set_option(tcp::no_delay(true));
    }
    void run() {
      socket.async_read_some(asio::buffer(buf), [self = shared_from_this()](auto ec, size_t n) {
        if (ec) return;
        if (self->stamp && n == sizeof(Stamped)) {
          const Stamped s{.echo_sent_ns = realtime_ns()};
          std::memcpy(self->buf.data(), &s, sizeof(s));
        }
        asio::async_write(self->socket, asio::buffer(self->buf, n), [self](auto e, size_t) {
          if (!e) self->run();
        });
      });
    }
    tcp::socket socket;
    bool stamp;
    std::array<char, 16384> buf{};
  };
  void accept() {
    acceptor_.async_accept([this](auto ec, tcp::socket s) {
      if (!ec) std::make_shared<Conn>(std::move(s), stamp_)->run();
      accept();
    });
  }
  tcp::acceptor acceptor_;
  bool stamp_;
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
  Echo server(server_io, 0, /*stamp=*/true);
  std::thread server_thread([&] {
    lower_this_thread();
    server_io.run();
  });

  camleak::SteadyClock clock;
  camleak::EventLog events(10);
  const camleak::proxy::ProxyOptions options{.seed = 1};
  camleak::proxy::ProxyThread proxy(clock, &events, options);
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
    std::array<char, 16> out{};
    Stamped in{};
    size_t received = 0;
    double sent_ns = 0;         // CLOCK_REALTIME, the clock of the kernel's receive timestamps
    double kernel_last_ns = 0;  // when the kernel queued the last byte of the echo
    Clock::time_point sent;
    Clock::time_point next;  // this connection's slot in the schedule
    // The delays the proxy's chain gives this connection's chunks, in order: the same chain
    // (link, connection index, direction, seed) built here draws the same ones.
    std::optional<camleak::impair::Chain> replica;
    int64_t chunks = 0;
    double next_delay_ms() {
      const camleak::Micros at{chunks++ * 100'000};
      replica->push({.kind = camleak::impair::Packet::Kind::data,
                     .bytes = std::vector<uint8_t>(16),
                     .entered_at = at},
                    at);
      const auto ready = replica->next_wakeup(at).value_or(at);
      while (replica->pop(ready)) {
      }
      return std::chrono::duration<double, std::milli>(ready - at).count();
    }
  };
  // Each message's error: measured minus the delay the proxy drew for it.
  std::vector<double> rtt_ms, kernel_rtt_ms, one_way_ms;
  std::vector<std::unique_ptr<Client>> clients;
  Clock::time_point warm, end;
  std::function<void(Client&)> send;
  // The echo is read with recvmsg for the kernel's receive timestamp (SO_TIMESTAMPNS): the
  // moment the proxy's bytes reached this socket, whatever this thread's own wake-up delay.
  std::function<void(Client&)> receive = [&](Client& c) {
    c.socket.async_wait(tcp::socket::wait_read, [&](auto ec) {
      if (ec) return;
      char buf[64];
      alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
      iovec iov{buf, sizeof(buf)};
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof(control);
      const ssize_t n = ::recvmsg(c.socket.native_handle(), &msg, MSG_DONTWAIT);
      if (n == 0) return;
      if (n < 0) return receive(c);  // spurious readiness
      for (auto* cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
          timespec ts{};
          std::memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
          c.kernel_last_ns = ts.tv_sec * 1e9 + ts.tv_nsec;
        }
      }
      if (c.received == 0 && n == sizeof(Stamped)) std::memcpy(&c.in, buf, sizeof(Stamped));
      c.received += static_cast<size_t>(n);
      if (c.received < c.out.size()) return receive(c);
      const auto now = Clock::now();
      const double delay = c.next_delay_ms();
      if (now > warm) {
        rtt_ms.push_back(std::chrono::duration<double, std::milli>(now - c.sent).count() - delay);
        if (c.kernel_last_ns > 0) {
          kernel_rtt_ms.push_back((c.kernel_last_ns - c.sent_ns) / 1e6 - delay);
          if (c.in.echo_sent_ns > 0) {
            one_way_ms.push_back((c.kernel_last_ns - c.in.echo_sent_ns) / 1e6 - delay);
          }
        }
      }
      if (now > end) return;
      c.next += 100ms;
      c.timer.expires_at(c.next);
      c.timer.async_wait([&](auto) { send(c); });
    });
  };
  send = [&](Client& c) {
    c.received = 0;
    c.kernel_last_ns = 0;
    c.in = {};
    c.sent = Clock::now();
    c.sent_ns = realtime_ns();
    boost::system::error_code ec;
    asio::write(c.socket, asio::buffer(c.out), ec);  // 16 bytes: the socket buffer takes them
    if (!ec) receive(c);
  };
  for (int i = 0; i < conns; ++i) {
    clients.push_back(std::make_unique<Client>(io));
    auto& c = *clients.back();
    c.socket.connect(loopback(port));
    c.socket.set_option(tcp::no_delay(true));
    const int on = 1;
    ::setsockopt(c.socket.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
    // The proxy numbers connections in the order it accepts them: the order of these connects.
    c.replica.emplace(
        camleak::impair::ChainContext{.link = "acc",
                                      .connection = static_cast<uint64_t>(i),
                                      .direction = camleak::impair::Direction::downstream,
                                      .seed = options.seed},
        proxy.proxy().registry());
    for (const auto& spec : proxy.proxy().link("acc").stages)
      c.replica->add(spec, camleak::Micros{0});
  }
  // Every connection sends once per 100 ms in its own slot, the slots spread evenly, and each
  // send keeps to its slot (not "100 ms after the last send"), so that a late round cannot
  // bunch the connections into bursts that stay together for the rest of the run.
  const auto start = Clock::now() + 50ms;
  warm = start + 500ms;
  end = start +
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds + 0.5));
  for (int i = 0; i < conns; ++i) {
    auto& c = *clients[i];
    c.next = start + std::chrono::microseconds(100'000LL * i / conns);
    c.timer.expires_at(c.next);
    c.timer.async_wait([&](auto) { send(c); });
  }
  lower_this_thread();
  io.run();
  const auto stats = proxy.proxy().stats("acc");
  for (auto& c : clients) c->socket.close();
  server_io.stop();
  server_thread.join();

  // Three views of the same messages, each message's error against the delay the proxy drew
  // for it:
  //   round trip          the client's clock, send to the echo's arrival: what an application
  //                       sees, with the echo server's and the client's own scheduling delays;
  //   kernel round trip   ended by the kernel's receive timestamp (SO_TIMESTAMPNS) instead;
  //   proxy leg           the echo's send (stamped in the message) to the client socket's
  //                       receive timestamp: only the leg with the toxic, so only the proxy's
  //                       error (the echo's bytes reach the proxy's socket within that send).
  std::printf(
      "samples %zu, proxy's own histogram of the delay it added: p50 <= %.3f ms, p99 <= "
      "%.3f ms\n",
      rtt_ms.size(), stats.downstream.delay.percentile(50).count() / 1000.0,
      stats.downstream.delay.percentile(99).count() / 1000.0);
  const auto report = [&](const char* name, const std::vector<double>& error_ms) {
    std::printf("%-18s error p50 %+.3f ms  p99 %+.3f ms  max %+.3f ms\n", name,
                percentile(error_ms, 50), percentile(error_ms, 99), percentile(error_ms, 100));
  };
  report("round trip", rtt_ms);
  report("kernel round trip", kernel_rtt_ms);
  report("proxy leg", one_way_ms);
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
