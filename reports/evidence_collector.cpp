#include "reports/evidence_collector.hpp"

#include <filesystem>
#include <fstream>

#include "reports/report_directory.hpp"

namespace camleak::reports {
namespace {

namespace fs = std::filesystem;

std::string file_safe(const std::string& link) {
  std::string out = link;
  for (char& c : out) {
    if (c == ':' || c == '/') c = '_';
  }
  return out;
}

// "live:hub-2/rtp/3" -> "rtp": a route's protocol is in its name (proxy::SessionRoutes' naming).
std::string route_protocol(const std::string& route) {
  return route.find("/rtcp/") != std::string::npos ? "rtcp" : "rtp";
}

void remove_quietly(const fs::path& path, std::vector<std::string>& errors) {
  std::error_code ec;
  if (fs::remove(path, ec); ec)
    errors.push_back("could not remove " + path.string() + ": " + ec.message());
}

}  // namespace

EvidenceCollector::EvidenceCollector(std::string report_dir, EvidenceLimits limits)
    : dir_(std::move(report_dir)), limits_(limits) {}

void EvidenceCollector::on_finding(const Observation& o, const PngEncoder& png,
                                   const std::vector<CapturedLink>& links) {
  if (dir_.empty()) return;
  std::lock_guard lock(mutex_);
  if (png && pngs_.size() < limits_.max_png) {
    try {
      const auto bytes = png();
      if (!bytes.empty()) {
        const fs::path path =
            fs::path(dir_) / kEvidenceDir / ("obs-" + std::to_string(o.id) + ".png");
        fs::create_directories(path.parent_path());
        std::ofstream file(path, std::ios::binary);
        file.write(reinterpret_cast<const char*>(bytes.data()),
                   static_cast<std::streamsize>(bytes.size()));
        if (!file) throw std::runtime_error("cannot write " + path.string());
        pngs_[o.id] = path.string();
      }
    } catch (const std::exception& e) {
      errors_.push_back("could not save the picture of observation " + std::to_string(o.id) + ": " +
                        e.what());
    }
  }
  if (pcap_requests_.size() < limits_.max_pcap)
    pcap_requests_.push_back({o.id, o.received_at, links});
}

void EvidenceCollector::write_due_pcaps(const CaptureSource& source, Micros now, bool all) {
  std::lock_guard lock(mutex_);
  for (auto& r : pcap_requests_) {
    if (r.written || (!all && now < r.at + kPcapHalfWindow)) continue;
    r.written = true;
    const Micros from = r.at - kPcapHalfWindow, to = r.at + kPcapHalfWindow;
    // A device's RTP routes (`live:hub-2/rtp/3`), open or already closed with their session,
    // are written beside its RTSP link; those with nothing in the window are left out.
    std::vector<CapturedLink> links;
    for (const auto& link : r.links) {
      links.push_back(link);
      for (auto& route : source.tapped_links(link.name + "/", from, to))
        links.push_back({.name = route, .protocol = route_protocol(route), .server_port = 0});
    }
    for (const auto& link : links) {
      const fs::path path =
          fs::path(dir_) / kEvidenceDir /
          ("obs-" + std::to_string(r.observation) + "-" + file_safe(link.name) + ".pcap");
      try {
        fs::create_directories(path.parent_path());
        if (source.write_window(link.name, from, to, path.string()) > 0) {
          pcaps_[r.observation].push_back({link, path.string()});
        } else {
          remove_quietly(path, errors_);
        }
      } catch (const std::exception& e) {
        errors_.push_back("could not write the pcap of " + link.name + ": " + e.what());
      }
    }
  }
}

void EvidenceCollector::attach(RunRecord& record) {
  std::lock_guard lock(mutex_);
  for (auto& evidence : record.evidence) {
    const uint64_t id = evidence.finding.observation.id;
    try {
      if (const auto it = pngs_.find(id); it != pngs_.end()) {
        const std::string rel = evidence_png_path(evidence.id);
        fs::rename(it->second, fs::path(dir_) / rel);
        evidence.png_path = rel;
        pngs_.erase(it);
      }
      if (const auto it = pcaps_.find(id); it != pcaps_.end()) {
        for (const auto& saved : it->second) {
          const std::string rel = evidence_pcap_path(evidence.id, file_safe(saved.link.name));
          fs::rename(saved.path, fs::path(dir_) / rel);
          evidence.captures.push_back(
              {.path = rel,
               .link = saved.link.name,
               .protocol = saved.link.protocol,
               .server_port = saved.link.server_port,
               .decode = decode_command(saved.link.protocol, saved.link.server_port, rel)});
        }
        pcaps_.erase(it);
      }
    } catch (const std::exception& e) {
      errors_.push_back("could not name the evidence of " + evidence.id + ": " + e.what());
    }
  }
  // Files of findings the oracle did not keep (past its cap) are not referenced: remove them.
  for (const auto& [id, path] : pngs_) remove_quietly(path, errors_);
  for (const auto& [id, files] : pcaps_) {
    for (const auto& f : files) remove_quietly(f.path, errors_);
  }
  pngs_.clear();
  pcaps_.clear();
  for (auto& e : errors_) record.harness_errors.push_back(std::move(e));
  errors_.clear();
}

}  // namespace camleak::reports
