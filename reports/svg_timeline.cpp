#include "reports/svg_timeline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "reports/text.hpp"

namespace camleak::reports {
namespace {

constexpr int kLeft = 56;
constexpr int kRight = 16;
constexpr int kTop = 24;
constexpr int kBottom = 40;
constexpr const char* kPalette[] = {"#2563eb", "#16a34a", "#9333ea", "#ea580c",
                                    "#0891b2", "#be185d", "#4d7c0f", "#78716c"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

struct Frame {
  double left, top, width, height;
  double span_us;
  double max_fps;
  double x(Micros t) const {
    const double clamped = std::clamp(static_cast<double>(t.count()), 0.0, span_us);
    return left + clamped / span_us * width;
  }
  double y(double fps) const { return top + height - std::min(fps, max_fps) / max_fps * height; }
};

Micros run_span(const RunRecord& r) {
  Micros span = r.duration;
  for (const auto& p : r.phases) span = std::max(span, p.end);
  for (const auto& f : r.faults) span = std::max(span, f.end);
  for (const auto& s : r.results.frame_rates)
    span = std::max(span, r.results.rate_bucket * static_cast<int64_t>(s.frames.size()));
  return span > Micros{0} ? span : std::chrono::seconds(1);
}

// Frames per second per point, merging `merge` buckets into one point.
std::vector<double> rates(const std::vector<uint32_t>& frames, size_t points, size_t merge,
                          double bucket_s) {
  std::vector<double> out(points, 0.0);
  for (size_t i = 0; i < frames.size() && i / merge < points; ++i) out[i / merge] += frames[i];
  for (auto& v : out) v /= bucket_s * static_cast<double>(merge);
  return out;
}

double point_time_us(size_t point, size_t merge, Micros bucket) {
  // Centre of the merged bucket.
  return (static_cast<double>(point * merge) + static_cast<double>(merge) / 2.0) *
         static_cast<double>(bucket.count());
}

std::string polyline(const Frame& f, const std::vector<double>& values, size_t merge,
                     Micros bucket) {
  std::string points;
  for (size_t i = 0; i < values.size(); ++i) {
    const double x =
        f.left + std::min(point_time_us(i, merge, bucket), f.span_us) / f.span_us * f.width;
    points += num(x) + "," + num(f.y(values[i])) + " ";
  }
  return points;
}

}  // namespace

std::string svg_timeline(const RunRecord& r, const TimelineStyle& style) {
  const Micros span = run_span(r);
  const Micros bucket =
      r.results.rate_bucket > Micros{0} ? r.results.rate_bucket : std::chrono::seconds(1);
  const double bucket_s = static_cast<double>(bucket.count()) / 1e6;
  size_t buckets = 0;
  for (const auto& s : r.results.frame_rates) buckets = std::max(buckets, s.frames.size());
  const size_t merge = std::max<size_t>(1, (buckets + style.max_points - 1) / style.max_points);
  const size_t points = (buckets + merge - 1) / merge;

  std::vector<std::vector<double>> series;
  series.reserve(r.results.frame_rates.size());
  double max_fps = 1;
  for (const auto& s : r.results.frame_rates) {
    series.push_back(rates(s.frames, points, merge, bucket_s));
    for (const double v : series.back()) max_fps = std::max(max_fps, v);
  }
  max_fps = std::ceil(max_fps * 1.1);

  Frame f{kLeft,
          kTop,
          static_cast<double>(style.width - kLeft - kRight),
          static_cast<double>(style.height - kTop - kBottom),
          static_cast<double>(span.count()),
          max_fps};
  // Inline in HTML5, so no xmlns: the page must not reference any external address.
  std::string svg = "<svg class=\"timeline\" width=\"" + std::to_string(style.width) +
                    "\" height=\"" + std::to_string(style.height) + "\" viewBox=\"0 0 " +
                    std::to_string(style.width) + " " + std::to_string(style.height) +
                    "\" role=\"img\">\n";
  svg += "<title>Timeline: phases, faults, delivered frame rate per hub, leaks</title>\n";
  svg += "<rect x=\"" + num(f.left) + "\" y=\"" + num(f.top) + "\" width=\"" + num(f.width) +
         "\" height=\"" + num(f.height) + "\" fill=\"#ffffff\" stroke=\"#9ca3af\"/>\n";

  // Phases.
  for (size_t i = 0; i < r.phases.size(); ++i) {
    const auto& p = r.phases[i];
    const double x0 = f.x(p.start), x1 = f.x(p.end);
    svg += "<rect class=\"phase\" x=\"" + num(x0) + "\" y=\"" + num(f.top) + "\" width=\"" +
           num(std::max(0.0, x1 - x0)) + "\" height=\"" + num(f.height) + "\" fill=\"" +
           (i % 2 ? "#e5e7eb" : "#f3f4f6") + "\" fill-opacity=\"0.7\"><title>" +
           xml_escape(p.name) + " " + seconds(p.start) + "s - " + seconds(p.end) +
           "s</title></rect>\n";
    svg += "<text x=\"" + num(x0 + 3) + "\" y=\"" + num(f.top - 6) +
           "\" font-size=\"10\" fill=\"#374151\">" + xml_escape(p.name) + "</text>\n";
  }
  // Faults.
  for (const auto& fault : r.faults) {
    const double x0 = f.x(fault.start), x1 = f.x(fault.end);
    svg += "<rect class=\"fault\" x=\"" + num(x0) + "\" y=\"" + num(f.top) + "\" width=\"" +
           num(std::max(1.0, x1 - x0)) + "\" height=\"" + num(f.height) +
           "\" fill=\"#dc2626\" fill-opacity=\"0.15\"><title>" + xml_escape(fault.name) + " " +
           seconds(fault.start) + "s - " + seconds(fault.end) + "s</title></rect>\n";
  }
  // Frame rates.
  if (!series.empty() && points > 0) {
    if (series.size() <= style.max_hub_lines) {
      for (size_t h = 0; h < series.size(); ++h) {
        svg += "<polyline class=\"rate\" fill=\"none\" stroke-width=\"1.5\" stroke=\"" +
               std::string(kPalette[h % std::size(kPalette)]) + "\" points=\"" +
               polyline(f, series[h], merge, bucket) + "\"><title>" +
               xml_escape(r.results.frame_rates[h].hub) + " (frames/s)</title></polyline>\n";
      }
    } else {
      std::vector<double> low(points), median(points), high(points), column(series.size());
      for (size_t i = 0; i < points; ++i) {
        for (size_t h = 0; h < series.size(); ++h) column[h] = series[h][i];
        std::sort(column.begin(), column.end());
        low[i] = column.front();
        high[i] = column.back();
        median[i] = column[column.size() / 2];
      }
      std::string band = polyline(f, high, merge, bucket);
      // The lower edge runs backwards so the polygon closes on itself.
      for (size_t i = 0; i < points; ++i) {
        const size_t k = points - 1 - i;
        const double x =
            f.left + std::min(point_time_us(k, merge, bucket), f.span_us) / f.span_us * f.width;
        band += num(x) + "," + num(f.y(low[k])) + " ";
      }
      svg +=
          "<polygon class=\"rate-band\" fill=\"#2563eb\" fill-opacity=\"0.2\" stroke=\"none\" "
          "points=\"" +
          band + "\"><title>min..max frames/s over " + std::to_string(series.size()) +
          " hubs</title></polygon>\n";
      svg +=
          "<polyline class=\"rate\" fill=\"none\" stroke-width=\"1.5\" stroke=\"#2563eb\" "
          "points=\"" +
          polyline(f, median, merge, bucket) + "\"><title>median frames/s over " +
          std::to_string(series.size()) + " hubs</title></polyline>\n";
    }
  }
  // Leak markers, at most one per pixel column.
  std::set<int> columns;
  for (const auto& e : r.evidence) {
    if (e.finding.verdict.kind != oracle::VerdictKind::leak) continue;
    if (columns.size() >= style.max_markers) break;
    const double x = f.x(e.finding.observation.received_at);
    if (!columns.insert(static_cast<int>(x)).second) continue;
    svg += "<path class=\"leak\" d=\"M" + num(x) + "," + num(f.top + 10) +
           " l-5,-9 h10 z\" "
           "fill=\"#dc2626\" stroke=\"#7f1d1d\"><title>" +
           xml_escape(oracle::describe(e.finding)) + "</title></path>\n";
    svg += "<line x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(f.top + 10) +
           "\" y2=\"" + num(f.top + f.height) +
           "\" stroke=\"#dc2626\" stroke-width=\"0.6\" stroke-dasharray=\"3,3\"/>\n";
  }
  // Axes.
  const int ticks = 8;
  for (int i = 0; i <= ticks; ++i) {
    const auto t = Micros{static_cast<int64_t>(static_cast<double>(span.count()) * i / ticks)};
    const double x = f.x(t);
    svg += "<line x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(f.top + f.height) +
           "\" y2=\"" + num(f.top + f.height + 4) + "\" stroke=\"#6b7280\"/>";
    svg += "<text x=\"" + num(x) + "\" y=\"" + num(f.top + f.height + 16) +
           "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#374151\">" + seconds(t) +
           "s</text>\n";
  }
  for (const double fps : {0.0, max_fps / 2, max_fps}) {
    svg += "<text x=\"" + num(f.left - 6) + "\" y=\"" + num(f.y(fps) + 3) +
           "\" font-size=\"10\" text-anchor=\"end\" fill=\"#374151\">" + num(fps) + "</text>\n";
  }
  svg += "<text x=\"" + num(f.left + f.width / 2) + "\" y=\"" + std::to_string(style.height - 6) +
         "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#111827\">run time (s); "
         "delivered frames/s per hub";
  if (series.size() > style.max_hub_lines)
    svg += " (band: min..max over " + std::to_string(series.size()) + " hubs, line: median)";
  svg += "</text>\n</svg>\n";
  return svg;
}

}  // namespace camleak::reports
