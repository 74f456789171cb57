#include "harness/runner/progress.hpp"

#include <unistd.h>

#include <boost/json.hpp>

#include "harness/core/json_text.hpp"
#include "harness/core/units.hpp"

namespace camleak::runner {

ProgressStyle choose_progress_style(bool quiet, bool json, std::FILE* out) {
  if (json) return ProgressStyle::json;
  if (quiet) return ProgressStyle::quiet;
  return isatty(fileno(out)) ? ProgressStyle::terminal : ProgressStyle::plain;
}

std::string json_quote(const std::string& text) {
  return boost::json::serialize(boost::json::value(text));
}

void Progress::clear_live_line() {
  if (live_line_shown_) {
    std::fputs("\r\033[K", out_);
    live_line_shown_ = false;
  }
}

void Progress::status(const ProgressStatus& s) {
  std::lock_guard lock(mutex_);
  const auto secs = [](Micros t) { return static_cast<double>(t.count()) / 1e6; };
  switch (style_) {
    case ProgressStyle::quiet:
      return;
    case ProgressStyle::json: {
      boost::json::object o{{"event", "progress"},      {"scenario", s.scenario},
                            {"phase", s.phase},         {"elapsed_s", secs(s.elapsed)},
                            {"total_s", secs(s.total)}, {"frames_checked", s.frames_checked},
                            {"leaks", s.leaks}};
      std::fprintf(out_, "%s\n", json_text(o).c_str());
      break;
    }
    case ProgressStyle::terminal:
      std::fprintf(out_, "\r\033[K%s  [%s]  %.1f/%.0fs  frames checked %llu  leaks %llu",
                   s.scenario.c_str(), s.phase.c_str(), secs(s.elapsed), secs(s.total),
                   static_cast<unsigned long long>(s.frames_checked),
                   static_cast<unsigned long long>(s.leaks));
      live_line_shown_ = true;
      break;
    case ProgressStyle::plain:
      if (s.elapsed - last_plain_ < std::chrono::seconds(5)) return;
      last_plain_ = s.elapsed;
      std::fprintf(out_, "%s: %s %.1f/%.0fs frames_checked=%llu leaks=%llu\n", s.scenario.c_str(),
                   s.phase.c_str(), secs(s.elapsed), secs(s.total),
                   static_cast<unsigned long long>(s.frames_checked),
                   static_cast<unsigned long long>(s.leaks));
      break;
  }
  std::fflush(out_);
}

void Progress::line(const std::string& kind, const std::string& text) {
  std::lock_guard lock(mutex_);
  switch (style_) {
    case ProgressStyle::quiet:
      if (kind != "verdict" && kind != "repro" && kind != "error") return;
      std::fprintf(out_, "%s\n", text.c_str());
      break;
    case ProgressStyle::json:
      std::fprintf(out_, "%s\n",
                   json_text(boost::json::object{{"event", kind}, {"text", text}}).c_str());
      break;
    case ProgressStyle::terminal:
      clear_live_line();
      std::fprintf(out_, "%s\n", text.c_str());
      break;
    case ProgressStyle::plain:
      std::fprintf(out_, "%s\n", text.c_str());
      break;
  }
  std::fflush(out_);
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (style_ == ProgressStyle::terminal && live_line_shown_) {
    std::fputs("\n", out_);
    live_line_shown_ = false;
  }
  std::fflush(out_);
}

}  // namespace camleak::runner
