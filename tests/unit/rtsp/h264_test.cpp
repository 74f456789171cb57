#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "emulators/h264/nal.hpp"
#include "emulators/rtsp/h264_depacketizer.hpp"
#include "emulators/rtsp/h264_packetizer.hpp"
#include "harness/core/rng.hpp"

namespace camleak::rtsp {
namespace {

using Bytes = std::vector<uint8_t>;
using Nals = std::vector<Bytes>;

Bytes nal(uint8_t header, size_t size, Rng& rng) {
  Bytes n(size);
  n[0] = header;
  for (size_t i = 1; i < size; ++i) n[i] = static_cast<uint8_t>(rng.below(256));
  return n;
}

// A GOP-like sequence of access units: every 10th is SPS+PPS+SEI+IDR, others SEI+slice(s),
// sizes from tiny to several MTUs so all three packet kinds occur.
std::vector<Nals> make_access_units(size_t count, Rng& rng) {
  std::vector<Nals> aus;
  for (size_t i = 0; i < count; ++i) {
    Nals au;
    if (i % 10 == 0) {
      au.push_back(nal(0x67, 12, rng));
      au.push_back(nal(0x68, 4, rng));
      au.push_back(nal(0x06, 60, rng));
      au.push_back(nal(0x65, 3000 + rng.below(9000), rng));
    } else {
      au.push_back(nal(0x06, 60, rng));
      size_t slices = 1 + rng.below(3);
      for (size_t s = 0; s < slices; ++s) au.push_back(nal(0x41, 20 + rng.below(2500), rng));
    }
    aus.push_back(std::move(au));
  }
  return aus;
}

struct Sent {
  Bytes bytes;
  size_t au_index;
  bool marker;
};

std::vector<Sent> packetize_all(const std::vector<Nals>& aus, H264PacketizerConfig cfg) {
  H264Packetizer p(cfg);
  std::vector<Sent> out;
  for (size_t i = 0; i < aus.size(); ++i) {
    p.packetize(aus[i], static_cast<uint32_t>(i * 3000), [&](std::span<const uint8_t> pkt) {
      out.push_back(Sent{Bytes(pkt.begin(), pkt.end()), i, parse_rtp(pkt)->header.marker});
    });
  }
  return out;
}

TEST(H264Packetizer, UsesStapAForParameterSetsAndFuAForLargeNals) {
  Rng rng(1);
  Nals au = {nal(0x67, 12, rng), nal(0x68, 4, rng), nal(0x06, 60, rng), nal(0x65, 5000, rng)};
  H264Packetizer p({.ssrc = 0x1234, .initial_sequence = 65534, .max_payload = 1400});
  std::vector<Bytes> packets;
  p.packetize(au, 90000,
              [&](std::span<const uint8_t> pkt) { packets.emplace_back(pkt.begin(), pkt.end()); });
  // STAP-A(SPS, PPS, SEI) + ceil(4999 / 1398) = 4 FU-A fragments.
  ASSERT_EQ(packets.size(), 5u);
  EXPECT_EQ(p.counters().stap_a_packets, 1u);
  EXPECT_EQ(p.counters().fu_a_packets, 4u);
  uint16_t seq = 65534;
  for (size_t i = 0; i < packets.size(); ++i) {
    auto v = parse_rtp(packets[i]);
    ASSERT_TRUE(v);
    EXPECT_LE(v->payload.size(), 1400u);
    EXPECT_EQ(v->header.sequence, seq++);  // wraps through 0
    EXPECT_EQ(v->header.timestamp, 90000u);
    EXPECT_EQ(v->header.ssrc, 0x1234u);
    EXPECT_EQ(v->header.marker, i + 1 == packets.size());
  }
  auto stap = parse_rtp(packets[0])->payload;
  EXPECT_EQ(stap[0] & 0x1F, h264::nal_type::stap_a);
  EXPECT_EQ(stap[0] & 0x60, 0x60);  // NRI = max of the aggregated units (SPS has 3)
  EXPECT_EQ((stap[1] << 8) | stap[2], 12);
  auto fu_first = parse_rtp(packets[1])->payload;
  auto fu_last = parse_rtp(packets[4])->payload;
  EXPECT_EQ(fu_first[0], (0x65 & 0xE0) | h264::nal_type::fu_a);
  EXPECT_EQ(fu_first[1], 0x80 | 5);  // S bit + IDR type
  EXPECT_EQ(fu_last[1], 0x40 | 5);   // E bit
}

TEST(H264Packetizer, SingleNalUnitWhenAloneAndNoAggregationWhenDisabled) {
  Rng rng(2);
  Nals au = {nal(0x41, 1000, rng)};
  H264Packetizer p;
  int n = 0;
  p.packetize(au, 0, [&](std::span<const uint8_t> pkt) {
    ++n;
    auto v = parse_rtp(pkt);
    EXPECT_TRUE(v->header.marker);
    EXPECT_EQ(Bytes(v->payload.begin(), v->payload.end()), au[0]);
  });
  EXPECT_EQ(n, 1);
  H264Packetizer q({.aggregate = false});
  Nals small = {nal(0x67, 10, rng), nal(0x68, 4, rng)};
  n = 0;
  q.packetize(small, 0, [&](std::span<const uint8_t>) { ++n; });
  EXPECT_EQ(n, 2);
  EXPECT_EQ(q.counters().stap_a_packets, 0u);
}

TEST(H264RoundTrip, LosslessDeliveryIsExact) {
  Rng rng(3);
  auto aus = make_access_units(60, rng);
  for (size_t mtu : {200u, 1400u, 60000u}) {
    auto packets = packetize_all(aus, {.initial_sequence = 65000, .max_payload = mtu});
    std::vector<ReceivedAccessUnit> got;
    H264Depacketizer d({.payload_type = 96, .first_sequence = 65000},
                       [&](ReceivedAccessUnit&& au) { got.push_back(std::move(au)); });
    for (const auto& s : packets) d.push(s.bytes);
    ASSERT_EQ(got.size(), aus.size()) << "mtu " << mtu;
    for (size_t i = 0; i < aus.size(); ++i) {
      EXPECT_EQ(got[i].nals, aus[i]) << "au " << i;
      EXPECT_EQ(got[i].timestamp, i * 3000);
    }
    EXPECT_EQ(d.counters().frames_complete, aus.size());
    EXPECT_EQ(d.counters().frames_incomplete, 0u);
    EXPECT_EQ(d.counters().packets_lost, 0u);
  }
}

// Seeded loss, adjacent swaps and duplicates done here, then the exact expectation: an access
// unit is delivered iff all its packets and the packet just before it arrived, and what is
// delivered equals what was sent.
TEST(H264RoundTrip, SeededLossReorderAndDuplicationDeliverOnlyCompleteAccessUnits) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Rng rng(Rng::derive(seed, "h264-roundtrip"));
    auto aus = make_access_units(80, rng);
    auto packets = packetize_all(
        aus, {.initial_sequence = static_cast<uint16_t>(rng.below(65536)), .max_payload = 1000});
    double loss = seed % 4 == 0 ? 0.0 : 0.02 * static_cast<double>(seed % 5);
    std::vector<bool> arrived(packets.size(), true);
    for (size_t i = 0; i < packets.size(); ++i) arrived[i] = !rng.bernoulli(loss);
    std::vector<size_t> order;
    for (size_t i = 0; i < packets.size(); ++i) {
      if (arrived[i]) order.push_back(i);
    }
    // Jitter: each packet is displaced by less than the reorder window, so none is late.
    const size_t window = 8;
    std::vector<std::pair<double, size_t>> keyed;
    for (size_t i : order) {
      double jitter = seed % 3 == 0 ? 0.0 : rng.uniform(0.0, static_cast<double>(window - 1));
      keyed.emplace_back(static_cast<double>(i) + jitter, i);
    }
    std::sort(keyed.begin(), keyed.end());
    for (size_t i = 0; i < keyed.size(); ++i) order[i] = keyed[i].second;
    size_t swaps = 0;  // packets arriving after one with a higher sequence number
    size_t highest = 0;
    for (size_t i = 0; i < order.size(); ++i) {
      if (i > 0 && order[i] < highest) ++swaps;
      highest = std::max(highest, order[i]);
    }
    std::vector<size_t> schedule;
    size_t dups = 0;
    for (size_t i = 0; i < order.size(); ++i) {
      schedule.push_back(order[i]);
      if (rng.bernoulli(0.03)) {
        schedule.push_back(order[i]);
        ++dups;
      }
    }
    uint16_t first_seq = parse_rtp(packets[0].bytes)->header.sequence;
    std::vector<ReceivedAccessUnit> got;
    H264Depacketizer d({.reorder_window = window, .first_sequence = first_seq},
                       [&](ReceivedAccessUnit&& au) { got.push_back(std::move(au)); });
    for (size_t idx : schedule) d.push(packets[idx].bytes);
    d.flush();

    std::set<size_t> expected;
    for (size_t a = 0; a < aus.size(); ++a) {
      bool ok = true;
      size_t first = SIZE_MAX;
      for (size_t i = 0; i < packets.size(); ++i) {
        if (packets[i].au_index != a) continue;
        first = std::min(first, i);
        ok = ok && arrived[i];
      }
      if (first > 0 && !arrived[first - 1]) ok = false;
      if (ok) expected.insert(a);
    }
    std::set<size_t> delivered;
    for (const auto& au : got) {
      size_t a = au.timestamp / 3000;
      ASSERT_LT(a, aus.size());
      EXPECT_TRUE(delivered.insert(a).second) << "seed " << seed << " au " << a << " twice";
      EXPECT_EQ(au.nals, aus[a]) << "seed " << seed << " au " << a;
    }
    EXPECT_EQ(delivered, expected) << "seed " << seed;
    const auto& c = d.counters();
    size_t lost = std::count(arrived.begin(), arrived.end(), false);
    EXPECT_EQ(c.packets_duplicate, dups) << "seed " << seed;
    EXPECT_EQ(c.packets_reordered, swaps) << "seed " << seed;
    EXPECT_EQ(c.packets_late, 0u);
    // The final loss run (if any) cannot be seen: nothing arrives after it.
    EXPECT_LE(c.packets_lost, lost) << "seed " << seed;
    EXPECT_EQ(c.frames_complete, got.size());
    if (loss == 0.0) {
      EXPECT_EQ(got.size(), aus.size()) << "seed " << seed;
      EXPECT_EQ(c.frames_incomplete, 0u);
    } else {
      EXPECT_LE(c.frames_complete + c.frames_incomplete, aus.size());
      EXPECT_GT(c.frames_incomplete, 0u) << "seed " << seed;
    }
  }
}

struct Collector {
  std::vector<ReceivedAccessUnit> aus;
  H264Depacketizer::AccessUnitSink sink() {
    return [this](ReceivedAccessUnit&& au) { aus.push_back(std::move(au)); };
  }
};

// Rewrites sequence numbers so a manipulated packet list has no sequence gap.
void renumber(std::vector<Bytes>& packets, uint16_t first) {
  for (auto& p : packets) {
    p[2] = static_cast<uint8_t>(first >> 8);
    p[3] = static_cast<uint8_t>(first);
    ++first;
  }
}

std::vector<Bytes> packet_bytes(const Nals& au, uint32_t ts, uint16_t seq, size_t mtu = 1000) {
  H264Packetizer p({.initial_sequence = seq, .max_payload = mtu});
  std::vector<Bytes> out;
  p.packetize(au, ts,
              [&](std::span<const uint8_t> pkt) { out.emplace_back(pkt.begin(), pkt.end()); });
  return out;
}

// Two access units of one packet each, sequence 500 then 501: an IDR `a` and a slice `b`.
struct TwoSinglePacketAccessUnits {
  Rng rng{9};
  Nals a = {nal(0x65, 200, rng)};
  Nals b = {nal(0x41, 200, rng)};
  std::vector<Bytes> pa = packet_bytes(a, 0, 500);
  std::vector<Bytes> pb = packet_bytes(b, 3000, 501);
};

TEST(H264Depacketizer, TruncatedFuAWithoutSequenceGapIsIncomplete) {
  Rng rng(5);
  Nals big = {nal(0x65, 3500, rng)};
  Nals next = {nal(0x41, 100, rng)};
  // End fragment dropped, marker moved to the middle one: no gap, but no FU-A end.
  auto a = packet_bytes(big, 0, 0);
  ASSERT_EQ(a.size(), 4u);
  a.pop_back();
  a.back()[1] |= 0x80;
  auto b = packet_bytes(next, 3000, 0);
  std::vector<Bytes> all = a;
  all.insert(all.end(), b.begin(), b.end());
  renumber(all, 100);
  Collector col;
  H264Depacketizer d({.first_sequence = 100}, col.sink());
  for (auto& p : all) d.push(p);
  ASSERT_EQ(col.aus.size(), 1u);
  EXPECT_EQ(col.aus[0].nals, next);
  EXPECT_EQ(d.counters().frames_incomplete, 1u);
  EXPECT_EQ(d.counters().packets_lost, 0u);
}

TEST(H264Depacketizer, FuAMissingStartIsIncomplete) {
  Rng rng(6);
  auto a = packet_bytes({nal(0x65, 3500, rng)}, 0, 0);
  a.erase(a.begin());
  renumber(a, 7);
  Collector col;
  H264Depacketizer d({.first_sequence = 7}, col.sink());
  for (auto& p : a) d.push(p);
  EXPECT_TRUE(col.aus.empty());
  EXPECT_EQ(d.counters().frames_incomplete, 1u);
}

TEST(H264Depacketizer, OversizeAccessUnitIsDroppedAndCounted) {
  Rng rng(7);
  auto a = packet_bytes({nal(0x65, 5000, rng)}, 0, 0);
  Nals small = {nal(0x41, 300, rng)};
  auto b = packet_bytes(small, 3000, static_cast<uint16_t>(a.size()));
  Collector col;
  H264Depacketizer d({.max_access_unit_bytes = 4096, .first_sequence = 0}, col.sink());
  for (auto& p : a) d.push(p);
  for (auto& p : b) d.push(p);
  ASSERT_EQ(col.aus.size(), 1u);
  EXPECT_EQ(col.aus[0].nals, small);
  EXPECT_EQ(d.counters().frames_oversize, 1u);
  EXPECT_EQ(d.counters().frames_incomplete, 0u);
}

TEST(H264Depacketizer, GarbageAndMalformedPayloadsAreCountedNotDelivered) {
  Rng rng(8);
  Collector col;
  H264Depacketizer d({.first_sequence = 0}, col.sink());
  Bytes junk(50);
  for (auto& b : junk) b = static_cast<uint8_t>(rng.below(256));
  junk[0] = 0x00;  // version 0: not RTP
  d.push(junk);
  EXPECT_EQ(d.counters().packets_invalid, 1u);
  EXPECT_EQ(d.counters().bytes_garbage, 50u);
  // A STAP-A whose inner length overruns the packet.
  RtpHeader h;
  h.marker = true;
  Bytes bad_stap;
  append_rtp(bad_stap, h, Bytes{0x78, 0x00, 0x50, 0x67, 0x42});
  d.push(bad_stap);
  EXPECT_EQ(d.counters().frames_incomplete, 1u);
  EXPECT_GT(d.counters().bytes_garbage, 50u);
  // Reserved NAL type 30, then an FU-A with both S and E.
  h.sequence = 1;
  h.timestamp = 3000;
  Bytes reserved;
  append_rtp(reserved, h, Bytes{0x1E, 1, 2});
  d.push(reserved);
  h.sequence = 2;
  h.timestamp = 6000;
  Bytes se;
  append_rtp(se, h, Bytes{0x7C, 0xC5, 1, 2});
  d.push(se);
  EXPECT_EQ(d.counters().frames_incomplete, 3u);
  EXPECT_EQ(d.counters().nal_unsupported, 1u);
  EXPECT_TRUE(col.aus.empty());
}

TEST(H264Depacketizer, WithoutAKnownStartTheFirstAccessUnitIsNotTrusted) {
  const TwoSinglePacketAccessUnits two;
  Collector col;
  H264Depacketizer d({}, col.sink());
  d.push(two.pa[0]);
  d.push(two.pb[0]);
  ASSERT_EQ(col.aus.size(), 1u);
  EXPECT_EQ(col.aus[0].nals, two.b);
  EXPECT_EQ(d.counters().frames_incomplete, 1u);
}

TEST(H264Depacketizer, AStartLearntFromThePlayAnswerMakesTheFirstAccessUnitComplete) {
  const TwoSinglePacketAccessUnits two;
  Collector col;
  H264Depacketizer d({}, col.sink());
  d.expect_first_sequence(500);  // RTP-Info seq=500, after the depacketizer was made
  d.push(two.pa[0]);
  d.push(two.pb[0]);
  ASSERT_EQ(col.aus.size(), 2u);
  EXPECT_EQ(col.aus[0].nals, two.a);
  EXPECT_EQ(d.counters().frames_incomplete, 0u);
  d.expect_first_sequence(9);  // too late: the stream has started, nothing changes
  d.push(packet_bytes(two.a, 6000, 502)[0]);
  EXPECT_EQ(col.aus.size(), 3u);
}

TEST(H264Depacketizer, ExtendedHighestSequenceCountsWrapsForReceiverReports) {
  Rng rng(9);
  Nals a = {nal(0x41, 100, rng)};
  Collector col;
  H264Depacketizer d({.first_sequence = 65534}, col.sink());
  EXPECT_FALSE(d.started());
  for (uint16_t seq : {65534, 65535, 0, 1}) d.push(packet_bytes(a, seq * 3000u, seq)[0]);
  EXPECT_TRUE(d.started());
  EXPECT_EQ(d.extended_highest_sequence(), 65536u + 1u);
  d.push(packet_bytes(a, 0, 65535)[0]);  // late: the highest does not move back
  EXPECT_EQ(d.extended_highest_sequence(), 65536u + 1u);
  EXPECT_EQ(d.ssrc(), parse_rtp(packet_bytes(a, 0, 1)[0])->header.ssrc);
}

TEST(H264Depacketizer, ReorderBeyondTheWindowBecomesLossThenLate) {
  Rng rng(10);
  std::vector<Bytes> packets;
  std::vector<Nals> aus;
  for (int i = 0; i < 10; ++i) {
    aus.push_back({nal(0x41, 100, rng)});
    auto p = packet_bytes(aus.back(), static_cast<uint32_t>(i * 3000), static_cast<uint16_t>(i));
    packets.push_back(p[0]);
  }
  Collector col;
  H264Depacketizer d({.reorder_window = 4, .first_sequence = 0}, col.sink());
  for (int i = 1; i < 10; ++i) d.push(packets[i]);  // packet 0 held back past the window
  d.push(packets[0]);
  EXPECT_EQ(d.counters().packets_lost, 1u);
  EXPECT_EQ(d.counters().packets_late, 1u);
  EXPECT_EQ(d.counters().packets_reordered, 1u);
  EXPECT_LE(d.held_packets(), 4u);
  // AU 0 lost, AU 1 follows the gap (its head might be missing), AUs 2..9 complete.
  ASSERT_EQ(col.aus.size(), 8u);
  EXPECT_EQ(col.aus[0].nals, aus[2]);
}

TEST(H264Depacketizer, ZeroWindowTreatsAnySwapAsLoss) {
  Rng rng(12);
  std::vector<Bytes> packets;
  for (int i = 0; i < 4; ++i) {
    packets.push_back(packet_bytes({nal(0x41, 50, rng)}, static_cast<uint32_t>(i * 3000),
                                   static_cast<uint16_t>(i))[0]);
  }
  Collector col;
  H264Depacketizer d({.reorder_window = 0, .first_sequence = 0}, col.sink());
  d.push(packets[0]);
  d.push(packets[2]);
  d.push(packets[1]);
  d.push(packets[3]);
  EXPECT_EQ(d.counters().packets_lost, 1u);
  EXPECT_EQ(d.counters().packets_late, 1u);
  EXPECT_EQ(d.held_packets(), 0u);
  ASSERT_EQ(col.aus.size(), 2u);  // AU 0 and AU 3; AU 2 followed the gap
  EXPECT_EQ(col.aus[1].timestamp, 9000u);
}

TEST(H264Depacketizer, SsrcChangeRestartsTheStream) {
  Rng rng(11);
  Nals a = {nal(0x41, 100, rng)};
  auto p1 = packet_bytes(a, 0, 10);
  H264Packetizer other({.ssrc = 99, .initial_sequence = 40000});
  std::vector<Bytes> p2;
  for (int i = 0; i < 2; ++i) {
    other.packetize(a, static_cast<uint32_t>(i * 3000),
                    [&](std::span<const uint8_t> pkt) { p2.emplace_back(pkt.begin(), pkt.end()); });
  }
  Collector col;
  H264Depacketizer d({.first_sequence = 10}, col.sink());
  d.push(p1[0]);
  d.push(p2[0]);
  d.push(p2[1]);
  EXPECT_EQ(d.counters().ssrc_changes, 1u);
  // First stream's AU, then the new stream's first AU is untrusted, the second is delivered.
  ASSERT_EQ(col.aus.size(), 2u);
  EXPECT_EQ(col.aus[1].ssrc, 99u);
}

}  // namespace
}  // namespace camleak::rtsp
