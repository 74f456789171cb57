#pragma once
// The run at a glance as an inline SVG: phases as grey bands, fault windows as red bands,
// delivered frames per second per hub as lines, a red marker at every leak. With more than
// kMaxHubLines hubs the lines become one band (min..max over hubs) and a median line, so the
// picture stays small for a thousand hubs.
#include <string>

#include "reports/run_record.hpp"

namespace camleak::reports {

struct TimelineStyle {
  int width = 1000;
  int height = 300;
  size_t max_hub_lines = 8;
  size_t max_points = 1000;   // buckets are merged beyond this
  size_t max_markers = 1000;  // leak markers, at most one per horizontal pixel
};

std::string svg_timeline(const RunRecord& record, const TimelineStyle& style = {});

}  // namespace camleak::reports
