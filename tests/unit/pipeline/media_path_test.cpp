// The whole media path in one process, without sockets: identity stamp on the pre-encoded
// H.264 loop -> RTP packetization (STAP-A, FU-A) -> the proxy's own seeded datagram stages
// (loss, reorder, duplicate, corrupt) on a manual clock -> reassembly -> decode ->
// identification. Two cameras, each through its own chain: every complete frame must identify
// as the camera that sent it, with the sequence it was sent with, and no frame may ever be
// attributed to the other camera, however damaged.
#include <gtest/gtest.h>

#include <map>

#include "emulators/media/frame_identifier.hpp"
#include "emulators/media/h264_loop.hpp"
#include "emulators/media/identity_stamper.hpp"
#include "emulators/media/media_error.hpp"
#include "emulators/rtsp/h264_depacketizer.hpp"
#include "emulators/rtsp/h264_packetizer.hpp"
#include "harness/impair/chain.hpp"
#include "harness/impair/registry.hpp"

namespace camleak {
namespace {

using namespace std::chrono_literals;

const media::RunKey kKey = media::run_key_from_seed(9);
constexpr uint32_t kRtpTicksPerFrame = 3600;  // 25 fps at 90 kHz
constexpr uint64_t kFrames = 64;

struct Camera {
  std::string name;
  std::string owner;
  uint32_t code;
  std::shared_ptr<const media::H264Loop> loop;
};

struct PathResult {
  uint64_t delivered = 0;       // complete access units out of the depacketizer
  uint64_t identified = 0;      // decoded, valid SEI of the sender, sender's pixel code
  uint64_t misattributed = 0;   // any identity naming the other camera
  uint64_t wrong_sequence = 0;  // valid SEI of the sender but not the frame that was sent
  impair::Counters stage_totals;
};

impair::StageSpec stage(std::string type, impair::Attributes attributes) {
  impair::StageSpec spec{.name = type,
                         .type = type,
                         .direction = impair::Direction::downstream,
                         .attributes = std::move(attributes)};
  return impair::validated(spec, impair::Transport::datagram, impair::Registry::builtin());
}

PathResult run_path(const Camera& sender, const Camera& other, uint64_t seed,
                    const std::vector<impair::StageSpec>& stages) {
  media::IdentityStamper stamper(sender.loop, kKey, sender.name, sender.owner);
  rtsp::H264Packetizer packetizer(
      {.ssrc = static_cast<uint32_t>(seed), .initial_sequence = 65500, .max_payload = 500});
  impair::Chain chain({.link = "media",
                       .direction = impair::Direction::downstream,
                       .transport = impair::Transport::datagram,
                       .seed = seed},
                      impair::Registry::builtin());
  for (const auto& spec : stages) chain.add(spec, Micros{0});

  PathResult r;
  media::FrameIdentifier identifier(kKey);
  rtsp::H264Depacketizer depacketizer(
      {.reorder_window = 32, .first_sequence = 65500}, [&](rtsp::ReceivedAccessUnit&& au) {
        ++r.delivered;
        const uint64_t sent_index = au.timestamp / kRtpTicksPerFrame;
        const media::FrameIdentity id = identifier.identify(au.nals);
        const bool sei_other = id.sei && id.sei->hmac_valid && id.sei->camera == other.name;
        const bool pixel_other = id.pixel_code && *id.pixel_code == other.code;
        if (sei_other || pixel_other) ++r.misattributed;
        const bool sei_ok = id.sei && id.sei->hmac_valid && id.sei->camera == sender.name &&
                            id.sei->owner == sender.owner;
        if (sei_ok && id.sei->sequence != sent_index) ++r.wrong_sequence;
        if (id.status == DecodeStatus::ok && sei_ok && id.pixel_code == sender.code) ++r.identified;
      });

  Micros now{0};
  const auto drain = [&](Micros until) {
    while (auto packet = chain.pop(until)) depacketizer.push(packet->bytes);
  };
  for (uint64_t i = 0; i < kFrames; ++i) {
    const media::StampedAccessUnit unit = stamper.stamp(i, i, now);
    packetizer.packetize(
        unit.nals, static_cast<uint32_t>(i * kRtpTicksPerFrame),
        [&](std::span<const uint8_t> packet) {
          chain.push(impair::Packet{.bytes = {packet.begin(), packet.end()}, .entered_at = now},
                     now);
        });
    drain(now);
    now += 40ms;
  }
  drain(now + 10s);
  depacketizer.flush();
  for (const auto& s : chain.counters())
    for (const auto& [action, count] : s.counters) r.stage_totals[s.type + "." + action] += count;
  return r;
}

class MediaPathTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    media::quiet_ffmpeg_logging();
    const auto loop = [](uint32_t code) {
      return media::H264Loop::encode(media::LoopConfig{
          .encoder = {.width = 320, .height = 240, .fps = 25, .gop = 8, .bitrate_bps = 300'000},
          .gops = 2,
          .camera_code = code});
    };
    a_ = new Camera{"cam-a", "alice", 0x0A0A0001u, loop(0x0A0A0001u)};
    b_ = new Camera{"cam-b", "bob", 0x0B0B0002u, loop(0x0B0B0002u)};
  }
  static void TearDownTestSuite() {
    delete a_;
    delete b_;
  }
  static Camera* a_;
  static Camera* b_;
};
Camera* MediaPathTest::a_ = nullptr;
Camera* MediaPathTest::b_ = nullptr;

TEST_F(MediaPathTest, CleanPathIdentifiesEveryFrame) {
  for (const auto& [sender, other] : {std::pair{a_, b_}, std::pair{b_, a_}}) {
    const PathResult r = run_path(*sender, *other, 1, {});
    EXPECT_EQ(r.delivered, kFrames) << sender->name;
    EXPECT_EQ(r.identified, kFrames) << sender->name;
    EXPECT_EQ(r.misattributed, 0u);
    EXPECT_EQ(r.wrong_sequence, 0u);
  }
}

TEST_F(MediaPathTest, LossReorderAndDuplicatesNeverMisattributeAFrame) {
  const std::vector<impair::StageSpec> stages = {
      stage("loss", {{"probability", 3.0}, {"correlation", 25.0}}),
      stage("reorder", {{"probability", 25.0}, {"gap", int64_t{2}}, {"delay", 5.0}}),
      stage("duplicate", {{"probability", 3.0}})};
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    for (const auto& [sender, other] : {std::pair{a_, b_}, std::pair{b_, a_}}) {
      PathResult r = run_path(*sender, *other, seed, stages);
      SCOPED_TRACE(sender->name + " seed " + std::to_string(seed));
      EXPECT_GT(r.stage_totals["loss.dropped"], 0u);  // the stages really acted
      EXPECT_GT(r.stage_totals["reorder.reordered"] + r.stage_totals["duplicate.duplicated"], 0u);
      EXPECT_LT(r.delivered, kFrames);  // some frames lost their packets
      EXPECT_GE(r.delivered, kFrames / 2);
      EXPECT_GE(r.identified, r.delivered / 2);
      EXPECT_EQ(r.misattributed, 0u);
      EXPECT_EQ(r.wrong_sequence, 0u);
    }
  }
}

TEST_F(MediaPathTest, CorruptedPacketsAreNeverAttributedToAnotherCamera) {
  const std::vector<impair::StageSpec> stages = {stage("corrupt", {{"probability", 20.0}})};
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    PathResult r = run_path(*a_, *b_, seed, stages);
    SCOPED_TRACE("seed " + std::to_string(seed));
    EXPECT_GT(r.stage_totals["corrupt.corrupted"], 0u);
    EXPECT_LT(r.identified, r.delivered);  // damage shows: bad HMACs, failed decodes, no code
    EXPECT_EQ(r.misattributed, 0u);
    EXPECT_EQ(r.wrong_sequence, 0u);
  }
}

}  // namespace
}  // namespace camleak
