#include "harness/impair/limit_data.hpp"

#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

LimitDataStage::LimitDataStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)), limit_(settings.bytes) {}

void LimitDataStage::push(Packet packet, Micros now) {
  if (closed_) {
    count(StageAction::discarded, packet.bytes.size());
    return;
  }
  if (packet.kind != Packet::Kind::data) {
    closed_ = true;  // the connection ends here anyway; nothing may follow it
    queue_.push(std::move(packet), now);
    return;
  }
  const uint64_t remaining = limit_ > transmitted_ ? limit_ - transmitted_ : 0;
  if (packet.bytes.size() > remaining) {
    count(StageAction::truncated, packet.bytes.size() - remaining);
    packet.bytes.resize(remaining);
  }
  transmitted_ += packet.bytes.size();
  if (!packet.bytes.empty()) queue_.push(std::move(packet), now);
  if (transmitted_ >= limit_) {
    closed_ = true;
    note(StageAction::close, now, transmitted_);
    queue_.push(Packet{.kind = Packet::Kind::close, .entered_at = now}, now);
  }
}

void LimitDataStage::reconfigure(const StageSettings& settings) {
  limit_ = settings_as<Settings>(settings).bytes;
}

Fields<LimitDataStage::Settings> LimitDataStage::fields() {
  return Fields<Settings>{
      integer_field(&Settings::bytes, "bytes", "bytes",
                    "Bytes let through before the close; 0 closes on the first data.")};
}

}  // namespace camleak::impair
