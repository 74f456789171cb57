#include "harness/oracle/liveness_tracker.hpp"

#include <algorithm>

namespace camleak::oracle {

LivenessTracker::LivenessTracker(std::vector<TimeWindow> entitled, std::vector<TimeWindow> excused)
    : entitled_(std::move(entitled)),
      excused_(std::move(excused)),
      first_new_(entitled_.size()),
      sent_in_window_(entitled_.size(), 0),
      sent_before_first_(entitled_.size(), 0) {}

std::optional<size_t> LivenessTracker::counted_window(Micros t) const {
  const bool excused = std::any_of(excused_.begin(), excused_.end(),
                                   [&](const TimeWindow& w) { return w.from <= t && t < w.until; });
  if (excused) return std::nullopt;
  for (size_t i = 0; i < entitled_.size(); ++i)
    if (entitled_[i].from <= t && t < entitled_[i].until) return i;
  return std::nullopt;
}

void LivenessTracker::on_sent(Micros at, uint64_t frames) {
  if (const auto i = counted_window(at)) sent_in_window_[*i] += frames;
}

std::optional<Micros> LivenessTracker::first_unexcused(Micros from, Micros until) const {
  Micros t = from;
  for (const auto& e : excused_) {
    if (e.until <= t) continue;
    if (e.from > t) break;
    t = e.until;  // inside this excused span: jump to its end
  }
  if (t >= until) return std::nullopt;
  return t;
}

std::pair<Micros, Micros> LivenessTracker::longest_clean(Micros from, Micros until) const {
  std::pair<Micros, Micros> best{Micros{0}, from};
  for (const auto& w : entitled_) {
    Micros t = std::max(from, w.from);
    const Micros end = std::min(until, w.until);
    // Walk the excused spans across [t, end), measuring the clean pieces between them.
    for (const auto& e : excused_) {
      if (t >= end) break;
      if (e.until <= t) continue;
      const Micros piece_end = std::min(end, e.from);
      if (piece_end > t && piece_end - t > best.first) best = {piece_end - t, t};
      t = std::max(t, e.until);
    }
    if (end > t && end - t > best.first) best = {end - t, t};
  }
  return best;
}

void LivenessTracker::close_gap(Micros from, Micros until) {
  const auto [length, start] = longest_clean(from, until);
  if (length > max_stall_) {
    max_stall_ = length;
    max_stall_from_ = start;
  }
}

void LivenessTracker::on_new_frame(Micros received_at, std::optional<Micros> captured) {
  for (size_t i = 0; i < entitled_.size(); ++i) {
    const auto& w = entitled_[i];
    if (w.from <= received_at && received_at < w.until && !first_new_[i]) {
      first_new_[i] = received_at;
      sent_before_first_[i] = sent_in_window_[i];
    }
  }
  // Counted like the sends: captured inside a window, outside excused time, once the window's
  // first frame had arrived.
  const Micros taken = captured.value_or(received_at);
  if (const auto i = counted_window(taken); i && first_new_[*i] && taken >= *first_new_[*i])
    ++delivered_;
  // Observations from several decode workers may arrive slightly out of time order.
  if (last_new_ && received_at <= *last_new_) return;
  close_gap(last_new_.value_or(Micros{0}), received_at);
  last_new_ = received_at;
}

LivenessFigures LivenessTracker::finish(Micros run_end, Micros first_frame_bound) const {
  LivenessFigures out{
      .max_stall = max_stall_, .max_stall_from = max_stall_from_, .delivered = delivered_};
  for (size_t i = 0; i < entitled_.size(); ++i)
    if (first_new_[i]) out.sent += sent_in_window_[i] - sent_before_first_[i];
  const auto [tail, tail_from] = longest_clean(last_new_.value_or(Micros{0}), run_end);
  if (tail > out.max_stall) {
    out.max_stall = tail;
    out.max_stall_from = tail_from;
  }
  for (size_t i = 0; i < entitled_.size(); ++i) {
    const Micros end = std::min(entitled_[i].until, run_end);
    const auto from = first_unexcused(entitled_[i].from, end);
    if (!from) continue;  // excused throughout: nothing to judge
    Micros waited;
    if (first_new_[i]) {
      waited = std::max(Micros{0}, *first_new_[i] - *from);
    } else {
      waited = end - *from;
      if (waited <= first_frame_bound) continue;  // too short to judge
      out.first_frame_missing = true;
    }
    out.first_frame = std::max(out.first_frame.value_or(Micros{0}), waited);
  }
  return out;
}

}  // namespace camleak::oracle
