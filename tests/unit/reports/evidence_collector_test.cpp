#include "reports/evidence_collector.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "reports/report_directory.hpp"

namespace camleak::reports {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// A tap with a fixed set of links that hold frames; records every window asked for.
class FakeCaptures final : public CaptureSource {
 public:
  std::set<std::string> with_frames;  // links whose windows have frames
  mutable std::vector<std::string> written;

  std::vector<std::string> tapped_links(const std::string& prefix, Micros, Micros) const override {
    std::vector<std::string> out;
    for (const auto& l : with_frames)
      if (l.starts_with(prefix)) out.push_back(l);
    return out;
  }
  size_t write_window(const std::string& link, Micros, Micros,
                      const std::string& path) const override {
    written.push_back(link);
    std::ofstream(path) << "pcap of " << link;
    return with_frames.contains(link) ? 3 : 0;
  }
};

class EvidenceCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = (fs::temp_directory_path() / "camleak-evidence-XXXXXX").string();
    ASSERT_NE(::mkdtemp(path.data()), nullptr);
    dir_ = path;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static Observation observation(uint64_t id, Micros at) {
    Observation o;
    o.id = id;
    o.hub = "hub-2";
    o.received_at = at;
    return o;
  }
  static RunRecord record_with(std::initializer_list<uint64_t> ids) {
    RunRecord r;
    int n = 0;
    for (uint64_t id : ids) {
      Evidence e{.id = "000" + std::to_string(++n) + "-leak"};
      e.finding.observation.id = id;
      r.evidence.push_back(e);
    }
    return r;
  }

  fs::path dir_;
  const std::vector<CapturedLink> links_ = {
      {.name = "live:hub-2", .protocol = "rtsp", .server_port = 41234},
      {.name = "uplink:cam-1", .protocol = "rtsp", .server_port = 41234}};
};

TEST_F(EvidenceCollectorTest, PcapsWaitForTheWindowAfterTheFindingAndSayHowToDecodeThem) {
  EvidenceCollector evidence(dir_.string(), {});
  FakeCaptures tap;
  tap.with_frames = {"live:hub-2", "uplink:cam-1", "live:hub-2/rtp/1"};
  evidence.on_finding(
      observation(7, seconds(10)),
      [] {
        return std::vector<uint8_t>{1, 2, 3};
      },
      links_);

  evidence.write_due_pcaps(tap, seconds(11), false);  // 1 s after: the after-window is not in yet
  EXPECT_TRUE(tap.written.empty());
  evidence.write_due_pcaps(tap, seconds(12), false);
  EXPECT_EQ(tap.written,
            (std::vector<std::string>{"live:hub-2", "live:hub-2/rtp/1", "uplink:cam-1"}));
  evidence.write_due_pcaps(tap, seconds(20), true);  // written once only
  EXPECT_EQ(tap.written.size(), 3u);

  RunRecord record = record_with({7});
  evidence.attach(record);
  EXPECT_TRUE(record.harness_errors.empty());
  const Evidence& e = record.evidence[0];
  EXPECT_EQ(e.png_path, evidence_png_path("0001-leak"));
  EXPECT_TRUE(fs::exists(dir_ / e.png_path));
  ASSERT_EQ(e.captures.size(), 3u);
  EXPECT_EQ(e.captures[0].link, "live:hub-2");
  EXPECT_EQ(e.captures[0].server_port, 41234);
  EXPECT_EQ(e.captures[0].decode, "tshark -d tcp.port==41234,rtsp -r " + e.captures[0].path);
  EXPECT_EQ(e.captures[1].protocol, "rtp");
  EXPECT_NE(e.captures[1].decode.find("--enable-heuristic rtp_udp"), std::string::npos);
  for (const auto& c : e.captures) {
    EXPECT_TRUE(fs::exists(dir_ / c.path)) << c.path;
    EXPECT_TRUE(c.path.starts_with(std::string(kEvidenceDir) + "/0001-leak-")) << c.path;
  }
}

TEST_F(EvidenceCollectorTest, EmptyWindowsAndUnkeptFindingsLeaveNoFiles) {
  EvidenceCollector evidence(dir_.string(), {});
  FakeCaptures tap;  // no link has frames
  evidence.on_finding(
      observation(1, seconds(1)), [] { return std::vector<uint8_t>{1}; }, links_);
  evidence.on_finding(
      observation(2, seconds(1)), [] { return std::vector<uint8_t>{2}; }, links_);
  tap.with_frames = {"live:hub-2"};
  evidence.write_due_pcaps(tap, seconds(5), false);
  RunRecord record = record_with({2});  // the oracle kept only finding 2
  evidence.attach(record);
  EXPECT_TRUE(record.harness_errors.empty());
  ASSERT_EQ(record.evidence[0].captures.size(), 1u);  // uplink:cam-1's window was empty
  std::vector<fs::path> files;
  for (const auto& f : fs::recursive_directory_iterator(dir_))
    if (f.is_regular_file()) files.push_back(fs::relative(f.path(), dir_));
  EXPECT_EQ(files.size(), 2u);  // finding 2's picture and its one pcap; nothing of finding 1
}

TEST_F(EvidenceCollectorTest, LimitsCapPicturesAndCapturesAndEncoderFailuresAreReported) {
  EvidenceCollector evidence(dir_.string(), {.max_png = 1, .max_pcap = 1});
  int encoded = 0;
  evidence.on_finding(
      observation(1, seconds(1)), [&] { return ++encoded, std::vector<uint8_t>{1}; }, links_);
  evidence.on_finding(
      observation(2, seconds(1)), [&] { return ++encoded, std::vector<uint8_t>{1}; }, links_);
  EXPECT_EQ(encoded, 1);  // past the cap the picture is not even encoded
  FakeCaptures tap;
  tap.with_frames = {"live:hub-2"};
  evidence.write_due_pcaps(tap, seconds(10), true);
  EXPECT_EQ(tap.written.size(), 2u);  // only finding 1's two links

  EvidenceCollector failing(dir_.string(), {});
  failing.on_finding(observation(3, seconds(1)),
                     []() -> std::vector<uint8_t> { throw std::runtime_error("no codec"); }, {});
  RunRecord record = record_with({3});
  failing.attach(record);
  ASSERT_EQ(record.harness_errors.size(), 1u);
  EXPECT_NE(record.harness_errors[0].find("no codec"), std::string::npos);
}

TEST_F(EvidenceCollectorTest, WithoutAReportDirectoryNothingIsCollected) {
  EvidenceCollector evidence("", {});
  bool encoded = false;
  evidence.on_finding(
      observation(1, seconds(1)), [&] { return encoded = true, std::vector<uint8_t>{1}; }, links_);
  FakeCaptures tap;
  evidence.write_due_pcaps(tap, seconds(10), true);
  EXPECT_FALSE(encoded);
  EXPECT_TRUE(tap.written.empty());
}

}  // namespace
}  // namespace camleak::reports
