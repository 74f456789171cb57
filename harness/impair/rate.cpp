#include "harness/impair/rate.hpp"

#include <algorithm>
#include <cmath>

#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

RateStage::RateStage(StageContext context, const Settings& settings)
    : PacedStage(std::move(context)), settings_(settings) {}

int64_t RateStage::cost_ns(const Packet& packet) const {
  if (settings_.rate <= 0 || packet.kind != Packet::Kind::data) return 0;
  const int64_t bytes =
      std::max<int64_t>(0, static_cast<int64_t>(packet.bytes.size()) + settings_.packet_overhead);
  // bits / (rate * 1000 bits/s), in nanoseconds.
  return static_cast<int64_t>(
      std::llround(static_cast<double>(bytes) * 8.0 * 1e6 / settings_.rate));
}

void RateStage::push(Packet packet, Micros now) {
  if (packet.kind == Packet::Kind::data) {
    if (queue_.size() >= settings_.limit) {
      note(StageAction::overflow, now, packet.bytes.size());
      return;
    }
    if (settings_.rate > 0) count(StageAction::throttled, packet.bytes.size());
  }
  pace(std::move(packet), now);
}

void RateStage::reconfigure(const StageSettings& settings) {
  settings_ = settings_as<Settings>(settings);
  repace();
}

Fields<RateStage::Settings> RateStage::fields() {
  return Fields<Settings>{
      number_field(&Settings::rate, "rate", "kbit/s",
                   "Link rate in kilobits (1000 bits) per second; 0 = unlimited."),
      integer_field(&Settings::packet_overhead, "packet_overhead", "bytes",
                    "Added to each datagram's size for the timing (may be negative).", -65535.0,
                    65535.0),
      integer_field(&Settings::limit, "limit", "packets",
                    "Most datagrams queued; more are dropped (netem's limit).", 1.0)};
}

}  // namespace camleak::impair
