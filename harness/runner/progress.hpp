#pragma once
// What a person (or a program) sees while a run goes on: a live status line on a terminal,
// plain lines otherwise, nothing with --quiet, or one JSON object per line with --json.
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include "harness/core/clock.hpp"

namespace camleak::runner {

enum class ProgressStyle { terminal, plain, quiet, json };

// Picks terminal when `out` is a TTY, plain otherwise; quiet/json when asked.
ProgressStyle choose_progress_style(bool quiet, bool json, std::FILE* out);

struct ProgressStatus {
  std::string scenario;
  std::string phase;
  Micros elapsed{};
  Micros total{};
  uint64_t frames_checked = 0;
  uint64_t leaks = 0;
};

class Progress {
 public:
  Progress(ProgressStyle style, std::FILE* out) : style_(style), out_(out) {}

  // The live line (terminal: redrawn in place; plain: at most one line every 5 s; json: an
  // event per call).
  void status(const ProgressStatus& status);
  // A line that must stay on screen (phase changes, faults, verdicts, the repro command).
  void line(const std::string& kind, const std::string& text);
  // Ends the live line so later output starts on a fresh line.
  void finish();

 private:
  void clear_live_line();

  ProgressStyle style_;
  std::FILE* out_;
  std::mutex mutex_;
  bool live_line_shown_ = false;
  Micros last_plain_{-std::chrono::hours(1)};
};

// A JSON string literal with the quotes.
std::string json_quote(const std::string& text);

}  // namespace camleak::runner
