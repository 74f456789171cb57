#include "harness/impair/timeout.hpp"

#include <algorithm>

#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

TimeoutStage::TimeoutStage(StageContext context, const Settings& settings)
    : Stage(std::move(context)),
      timeout_(settings.timeout),
      timer_start_(context_.created_at),
      latest_(context_.created_at) {
  note(StageAction::blackhole, context_.created_at);
}

std::optional<Micros> TimeoutStage::deadline() const {
  if (closed_ || timeout_.count() <= 0) return std::nullopt;
  return timer_start_ + timeout_;
}

void TimeoutStage::push(Packet packet, Micros now) {
  latest_ = std::max(latest_, now);
  if (closed_) {
    count(StageAction::discarded, packet.bytes.size());
    return;
  }
  count(StageAction::blackholed, packet.bytes.size());
  held_.push(std::move(packet), Micros::max());
}

std::optional<Packet> TimeoutStage::pop(Micros now) {
  latest_ = std::max(latest_, now);
  const auto due = deadline();
  if (!due || now < *due) return std::nullopt;
  closed_ = true;
  const size_t discarded = held_.size();
  const size_t bytes = held_.clear();
  if (discarded > 0) count(StageAction::discarded, bytes);
  note(StageAction::close, *due);
  return Packet{.kind = Packet::Kind::close, .entered_at = now};
}

std::optional<Micros> TimeoutStage::next_wakeup(Micros) const {
  return deadline();
}

void TimeoutStage::reconfigure(const StageSettings& settings) {
  timeout_ = settings_as<Settings>(settings).timeout;
  timer_start_ = latest_;
}

Fields<TimeoutStage::Settings> TimeoutStage::fields() {
  return Fields<Settings>{
      milliseconds_field(&Settings::timeout, "timeout",
                         "Time until the connection is closed; 0 = hold it open and silent.")};
}

}  // namespace camleak::impair
