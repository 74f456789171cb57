#pragma once
// The standard report directory:
//   report.json, junit.xml, report.html, repro.txt    written here, each atomically
//   evidence/<id>.png, evidence/<id>-<link>.pcap      written by the run loop; only referenced
#include <string>

#include "reports/html_writer.hpp"
#include "reports/writer.hpp"

namespace camleak::reports {

inline constexpr const char* kJsonFile = "report.json";
inline constexpr const char* kJunitFile = "junit.xml";
inline constexpr const char* kHtmlFile = "report.html";
inline constexpr const char* kReproFile = "repro.txt";
inline constexpr const char* kEvidenceDir = "evidence";

// "evidence/<id>.png" and "evidence/<id>-<link>.pcap": the paths a record should reference.
std::string evidence_png_path(const std::string& id);
std::string evidence_pcap_path(const std::string& id, const std::string& link);

// A fan-out of atomic file writers for every format into `directory` (created when missing).
// `html` defaults its evidence_root to `directory`.
std::unique_ptr<FanOutWriter> report_directory_writer(const std::string& directory,
                                                      HtmlOptions html = {});
// Convenience: writes all of them; throws HarnessError naming every file that failed.
void write_report_directory(const RunRecord& record, const std::string& directory);

}  // namespace camleak::reports
