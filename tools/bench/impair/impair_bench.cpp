// Throughput of impairment chains on the manual timeline: what one core can push through the
// stages the proxy runs for every chunk (stream) and datagram. Prints figures; asserts nothing.
#include <chrono>
#include <cstdio>
#include <string>

#include "harness/impair/chain.hpp"

namespace {

using namespace camleak;
using namespace camleak::impair;
using namespace std::chrono_literals;

struct Result {
  double seconds;
  uint64_t packets;
  uint64_t bytes;
};

Result run(Transport transport, const std::vector<StageSpec>& stages, size_t size, uint64_t count,
           Micros spacing) {
  Chain chain(ChainContext{.link = "bench", .transport = transport, .seed = 1},
              Registry::builtin());
  for (const auto& s : stages) chain.add(s, Micros{0});
  uint64_t packets = 0, bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  Micros now{0};
  for (uint64_t i = 0; i < count; ++i) {
    chain.push(Packet{.bytes = std::vector<uint8_t>(size, 0x42)}, now);
    while (auto p = chain.pop(now)) {
      ++packets;
      bytes += p->bytes.size();
    }
    now += spacing;
  }
  for (auto wake = chain.next_wakeup(now); wake; wake = chain.next_wakeup(now)) {
    now = std::max(now, *wake);
    while (auto p = chain.pop(now)) {
      ++packets;
      bytes += p->bytes.size();
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {seconds, packets, bytes};
}

StageSpec stage(std::string type, Attributes attributes) {
  return StageSpec{.name = type, .type = type, .attributes = std::move(attributes)};
}

void report(const char* name, const Result& r, uint64_t pushed) {
  std::printf("%-44s %9.0f pushes/s %9.1f MB/s out  (%llu out)\n", name,
              static_cast<double>(pushed) / r.seconds,
              static_cast<double>(r.bytes) / r.seconds / 1e6,
              static_cast<unsigned long long>(r.packets));
}

}  // namespace

int main() {
  constexpr uint64_t kChunks = 50'000;
  constexpr uint64_t kDatagrams = 1'000'000;
  report("stream 64KiB: passthrough only", run(Transport::stream, {}, 65536, kChunks, 1ms),
         kChunks);
  report("stream 64KiB: latency 50ms +/- 10ms",
         run(Transport::stream,
             {stage("latency", {{"latency", int64_t{50}}, {"jitter", int64_t{10}}})}, 65536,
             kChunks, 1ms),
         kChunks);
  report("stream 64KiB: latency + bandwidth 100MB/s",
         run(Transport::stream,
             {stage("latency", {{"latency", int64_t{50}}}),
              stage("bandwidth", {{"rate", int64_t{100'000}}})},
             65536, kChunks, 1ms),
         kChunks);
  report("datagram 1200B: passthrough only",
         run(Transport::datagram, {}, 1200, kDatagrams, Micros{100}), kDatagrams);
  report("datagram 1200B: loss 5% + delay 40ms +/- 5ms",
         run(Transport::datagram,
             {stage("loss", {{"probability", 5.0}}),
              stage("delay", {{"delay", 40.0}, {"jitter", 5.0}})},
             1200, kDatagrams, Micros{100}),
         kDatagrams);
  report("datagram 1200B: gemodel + duplicate + rate 20Mbit",
         run(Transport::datagram,
             {stage("loss", {{"model", std::string("gemodel")}, {"p", 1.0}, {"r", 30.0}}),
              stage("duplicate", {{"probability", 1.0}}),
              stage("rate", {{"rate", 20'000.0}, {"limit", int64_t{100'000}}})},
             1200, kDatagrams, Micros{100}),
         kDatagrams);
  return 0;
}
