#include "reports/report_directory.hpp"

#include <filesystem>

#include "harness/core/errors.hpp"
#include "reports/json_writer.hpp"
#include "reports/junit_writer.hpp"
#include "reports/repro_writer.hpp"

namespace camleak::reports {
namespace {

// File names must not escape the evidence directory whatever a link is called.
std::string file_safe(const std::string& name) {
  std::string out;
  for (const char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    out += plain ? c : '_';
  }
  if (out.empty() || out.front() == '.') out.insert(out.begin(), '_');
  return out;
}

template <typename W>
std::unique_ptr<Writer> atomic(const std::filesystem::path& dir, const char* file) {
  return std::make_unique<AtomicFileWriter>(
      (dir / file).string(), [](std::ostream& out) { return std::make_unique<W>(out); });
}

}  // namespace

std::string evidence_png_path(const std::string& id) {
  return std::string(kEvidenceDir) + "/" + file_safe(id) + ".png";
}

std::string evidence_pcap_path(const std::string& id, const std::string& link) {
  return std::string(kEvidenceDir) + "/" + file_safe(id) + "-" + file_safe(link) + ".pcap";
}

std::unique_ptr<FanOutWriter> report_directory_writer(const std::string& directory,
                                                      HtmlOptions html) {
  const std::filesystem::path dir(directory);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw HarnessError("cannot create report directory " + directory + ": " + ec.message());
  if (html.evidence_root == ".") html.evidence_root = directory;
  auto fan_out = std::make_unique<FanOutWriter>();
  fan_out->add(atomic<JsonWriter>(dir, kJsonFile));
  fan_out->add(atomic<JunitWriter>(dir, kJunitFile));
  fan_out->add(std::make_unique<AtomicFileWriter>(
      (dir / kHtmlFile).string(),
      [html](std::ostream& out) { return std::make_unique<HtmlWriter>(out, html); }));
  fan_out->add(atomic<ReproWriter>(dir, kReproFile));
  return fan_out;
}

void write_report_directory(const RunRecord& record, const std::string& directory) {
  report_directory_writer(directory)->write(record);
}

}  // namespace camleak::reports
