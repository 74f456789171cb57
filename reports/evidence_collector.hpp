#pragma once
// The evidence of a run's findings, gathered while it plays: the offending picture (PNG) saved
// at once, and a pcap window of every link on the finding's path (the hub's, the camera's
// uplink, and the RTP routes of their sessions) written once the tap holds the 2 s after it.
// At the end, attach() names the files after the report's evidence ids and points the record at
// them; files of findings the oracle did not keep (past its cap) are removed.
//
// Thread-safe: findings arrive on the fleet's threads, pcaps are written from the run loop.
// Knows neither FFmpeg nor the proxy: the picture comes as a PNG encoder to call only when the
// picture will be kept, the capture windows from a CaptureSource.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/core/observation.hpp"
#include "reports/run_record.hpp"

namespace camleak::reports {

// Where capture windows come from (the proxy's tap rings).
class CaptureSource {
 public:
  virtual ~CaptureSource() = default;
  // Links whose name begins with `prefix` holding frames in [from, to] (a device's RTP routes).
  virtual std::vector<std::string> tapped_links(const std::string& prefix, Micros from,
                                                Micros to) const = 0;
  // Writes the link's frames in [from, to] to a pcap at `path`; the number of frames written.
  virtual size_t write_window(const std::string& link, Micros from, Micros to,
                              const std::string& path) const = 0;
};

// A link on a finding's path: its name, what it carries and the SUT's port on it.
struct CapturedLink {
  std::string name;
  std::string protocol;  // "rtsp" or "http"
  uint16_t server_port = 0;
};

struct EvidenceLimits {
  size_t max_png = 50;
  size_t max_pcap = 10;  // findings that get a pcap of their links
};

class EvidenceCollector {
 public:
  static constexpr Micros kPcapHalfWindow = std::chrono::seconds(2);  // before and after
  using PngEncoder = std::function<std::vector<uint8_t>()>;

  // Collects nothing when `report_dir` is empty (a run without a report).
  EvidenceCollector(std::string report_dir, EvidenceLimits limits);

  // `png` is called (at most once) when the picture will be kept; it may throw, which is
  // recorded as an evidence error, not a failed run.
  void on_finding(const Observation& o, const PngEncoder& png,
                  const std::vector<CapturedLink>& links);

  // Writes the pcap windows whose after-period has passed at `now` (all of them when `all`).
  void write_due_pcaps(const CaptureSource& source, Micros now, bool all);

  // Renames the saved files to the record's evidence ids and references them; adds the errors
  // met on the way to the record's harness errors.
  void attach(RunRecord& record);

 private:
  struct PcapRequest {
    uint64_t observation;
    Micros at;
    std::vector<CapturedLink> links;
    bool written = false;
  };
  struct SavedCapture {
    CapturedLink link;
    std::string path;  // absolute, under the evidence directory
  };

  std::string dir_;
  EvidenceLimits limits_;
  std::mutex mutex_;
  std::map<uint64_t, std::string> pngs_;  // observation id -> saved file
  std::vector<PcapRequest> pcap_requests_;
  std::map<uint64_t, std::vector<SavedCapture>> pcaps_;
  std::vector<std::string> errors_;
};

}  // namespace camleak::reports
