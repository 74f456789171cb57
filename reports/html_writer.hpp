#pragma once
// A self-contained HTML page for people: no external assets (inline CSS, inline SVG, evidence
// pictures embedded as data: URIs). The verdict is at the top in large type; then the timeline,
// the failed checks, the evidence (the very picture the wrong account received, and the link
// faults active at that moment), and summaries that stay small for a thousand hubs.
#include <cstddef>
#include <string>

#include "reports/svg_timeline.hpp"
#include "reports/writer.hpp"

namespace camleak::reports {

struct HtmlOptions {
  std::string evidence_root = ".";  // directory the record's relative evidence paths start from
  size_t max_evidence_rows = 50;
  size_t max_picture_bytes = 4 << 20;    // a single PNG larger than this is not embedded
  size_t max_embedded_bytes = 24 << 20;  // total budget for embedded pictures
  size_t max_stream_rows = 25;           // worst streams listed
  size_t max_schedule_rows = 500;
  TimelineStyle timeline{};
};

class HtmlWriter final : public StreamWriter {
 public:
  HtmlWriter(std::ostream& out, HtmlOptions options = {})
      : StreamWriter(out), options_(std::move(options)) {}
  std::string name() const override { return "html"; }

 protected:
  void render(const RunRecord& record, std::ostream& out) override;

 private:
  HtmlOptions options_;
};

}  // namespace camleak::reports
