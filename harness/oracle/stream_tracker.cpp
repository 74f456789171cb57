#include "harness/oracle/stream_tracker.hpp"

namespace camleak::oracle {

StreamTracker::StreamTracker(const PhaseIndex& phases, Micros started,
                             std::vector<TimeWindow> expected)
    : phases_(&phases),
      expected_(std::move(expected)),
      per_phase_(phases.size()),
      started_(started),
      last_new_(started) {
  // The stream exists from its start to the end of the run, wherever it is expected.
  for (const auto& w : expected_) {
    phases.for_each_overlap(std::max(started, w.from), w.until,
                            [&](size_t i, Micros) { per_phase_[i].active = true; });
  }
}

StreamTracker::Order StreamTracker::place(uint64_t sequence, std::optional<Micros> capture_time) {
  auto start_over = [&] {
    has_sequence_ = true;
    highest_ = sequence;
    highest_capture_ = capture_time;
    seen_.reset();
    seen_.set(sequence % kWindow);
  };
  if (!has_sequence_) {
    start_over();
    return Order::advance;
  }
  if (sequence > highest_) {
    const uint64_t step = sequence - highest_;
    if (step >= kWindow) {
      seen_.reset();
    } else {
      for (uint64_t s = highest_ + 1; s <= sequence; ++s) seen_.reset(s % kWindow);
    }
    highest_ = sequence;
    highest_capture_ = capture_time;
    seen_.set(sequence % kWindow);
    return Order::advance;
  }
  // At or below the highest: a camera that restarted counts from scratch with later pictures.
  const bool later_picture = capture_time && highest_capture_ && *capture_time > *highest_capture_;
  if (later_picture) {
    ++restarts_;
    start_over();
    return Order::restart;
  }
  if (highest_ - sequence >= kWindow) return Order::reorder;
  if (seen_.test(sequence % kWindow)) return Order::duplicate;
  seen_.set(sequence % kWindow);
  return Order::reorder;
}

void StreamTracker::close_span(Micros from, Micros to) {
  for (const auto& w : expected_) {
    phases_->for_each_overlap(
        std::max(from, w.from), std::min(to, w.until), [&](size_t i, Micros overlap) {
          per_phase_[i].max_stall = std::max(per_phase_[i].max_stall, overlap);
        });
  }
}

bool StreamTracker::inside_one_window(Micros from, Micros to) const {
  for (const auto& w : expected_)
    if (w.from <= from && to <= w.until) return true;
  return false;
}

bool StreamTracker::on_frame(Micros received_at, std::optional<uint64_t> sequence,
                             std::optional<Micros> capture_time, bool fresh) {
  const Order order = sequence ? place(*sequence, capture_time) : Order::advance;
  if (order == Order::duplicate) {
    phases_->for_each_containing(received_at, [&](size_t i) { ++per_phase_[i].duplicates; });
    return false;
  }
  phases_->for_each_containing(received_at, [&](size_t i) {
    auto& phase = per_phase_[i];
    phase.active = true;
    ++phase.delivered;
    if (!fresh) ++phase.stale;
    if (order == Order::reorder) ++phase.reorders;
  });
  const bool advances = order == Order::advance || order == Order::restart;
  if (!advances || !fresh) return false;
  // Observations from several producers may arrive slightly out of time order: never go back.
  if (received_at < last_new_) return true;

  const Micros gap = received_at - last_new_;
  close_span(last_new_, received_at);
  if (has_new_frame_ && inside_one_window(last_new_, received_at)) {
    gap_sum_ += gap;
    ++gap_count_;
    const Micros average = gap_sum_ / static_cast<int64_t>(gap_count_);
    if (gap > std::max(3 * average, average + kFreezeMinIncrease)) {
      phases_->for_each_containing(received_at, [&](size_t i) {
        ++per_phase_[i].freezes;
        per_phase_[i].freeze_total += gap;
      });
    }
  }
  has_new_frame_ = true;
  last_new_ = received_at;
  return true;
}

void StreamTracker::finish(Micros run_end) {
  if (finished_) return;
  finished_ = true;
  if (run_end > last_new_) close_span(last_new_, run_end);
}

}  // namespace camleak::oracle
