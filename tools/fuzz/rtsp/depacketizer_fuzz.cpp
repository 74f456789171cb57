// Fuzzes the RTP/H.264 depacketizer in two modes chosen by the first byte:
//  raw:          the input is a list of [len16][packet] records pushed as RTP packets;
//  differential: the input describes access units (NAL sizes and bytes) which are
//                packetized, then dropped/duplicated/reordered as the input says; every
//                access unit the depacketizer delivers must equal the one sent.
// Invariants in both: no crash, bounded holding, nothing over the access-unit cap delivered.
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "emulators/rtsp/h264_depacketizer.hpp"
#include "emulators/rtsp/h264_packetizer.hpp"
#include "emulators/rtsp/rtcp.hpp"

using namespace camleak::rtsp;

namespace {

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> d) : d_(d) {}
  bool empty() const { return d_.empty(); }
  uint8_t byte() {
    if (d_.empty()) return 0;
    uint8_t b = d_[0];
    d_ = d_.subspan(1);
    return b;
  }
  std::span<const uint8_t> take(size_t n) {
    n = std::min(n, d_.size());
    auto s = d_.first(n);
    d_ = d_.subspan(n);
    return s;
  }

 private:
  std::span<const uint8_t> d_;
};

constexpr size_t kWindow = 8;
constexpr size_t kCap = 16 * 1024;

void raw_mode(Reader& in) {
  H264Depacketizer d({.reorder_window = kWindow, .max_access_unit_bytes = kCap},
                     [](ReceivedAccessUnit&& au) {
                       if (au.bytes() > kCap || au.nals.empty()) __builtin_trap();
                     });
  while (!in.empty()) {
    size_t len = (size_t{in.byte()} << 8) | in.byte();
    auto packet = in.take(len % 2048);
    d.push(packet);
    parse_rtcp(packet);  // the same bytes through the RTCP parser
    if (d.held_packets() > kWindow) __builtin_trap();
  }
  d.flush();
  if (d.held_packets() != 0) __builtin_trap();
}

void differential_mode(Reader& in) {
  // Build up to 16 access units of up to 4 NAL units from the input.
  std::vector<std::vector<std::vector<uint8_t>>> aus;
  size_t count = 1 + in.byte() % 16;
  for (size_t a = 0; a < count && !in.empty(); ++a) {
    std::vector<std::vector<uint8_t>> au;
    size_t nals = 1 + in.byte() % 4;
    for (size_t n = 0; n < nals; ++n) {
      size_t size = 1 + ((size_t{in.byte()} << 4) | (in.byte() & 0x0F));
      std::vector<uint8_t> nal(size, static_cast<uint8_t>(a * 16 + n));
      uint8_t type = 1 + in.byte() % 23;  // a valid single-NAL type
      nal[0] = static_cast<uint8_t>(0x60 | type);
      au.push_back(std::move(nal));
    }
    aus.push_back(std::move(au));
  }
  // 64..2104 bytes: small enough for many FU-A fragments, large enough that an execution
  // does not spend itself on one-byte fragments.
  size_t mtu = 64 + in.byte() * 8;
  H264Packetizer packetizer(
      {.initial_sequence = static_cast<uint16_t>(in.byte() << 8 | in.byte()), .max_payload = mtu});
  std::vector<std::vector<uint8_t>> packets;
  for (size_t a = 0; a < aus.size(); ++a) {
    packetizer.packetize(aus[a], static_cast<uint32_t>(a * 3000), [&](std::span<const uint8_t> p) {
      packets.emplace_back(p.begin(), p.end());
    });
  }
  if (packets.empty()) return;
  uint16_t first = packetizer.config().initial_sequence;
  H264Depacketizer d(
      {.reorder_window = kWindow, .max_access_unit_bytes = kCap, .first_sequence = first},
      [&](ReceivedAccessUnit&& au) {
        size_t a = au.timestamp / 3000;
        if (au.timestamp % 3000 != 0 || a >= aus.size() || au.nals != aus[a]) __builtin_trap();
      });
  // Each remaining input byte is an action on the next packet: deliver, drop, duplicate,
  // or swap with the following one.
  for (size_t i = 0; i < packets.size(); ++i) {
    uint8_t action = in.byte() % 8;
    if (action == 1) continue;  // drop
    if (action == 2 && i + 1 < packets.size()) {
      d.push(packets[i + 1]);
      d.push(packets[i]);
      ++i;
      continue;
    }
    d.push(packets[i]);
    if (action == 3) d.push(packets[i]);
    if (action == 4 && i >= 3) d.push(packets[i - 3]);  // a late duplicate
  }
  d.flush();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in(std::span<const uint8_t>(data, size));
  if (in.byte() & 1)
    differential_mode(in);
  else
    raw_mode(in);
  return 0;
}
