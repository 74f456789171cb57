#include "harness/impair/bandwidth.hpp"

#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

BandwidthStage::BandwidthStage(StageContext context, const Settings& settings)
    : PacedStage(std::move(context)), settings_(settings) {}

int64_t BandwidthStage::cost_ns(const Packet& packet) const {
  const int64_t rate = settings_.rate;
  if (rate <= 0 || packet.kind != Packet::Kind::data) return 0;
  // rate KB/s = rate bytes per millisecond.
  return static_cast<int64_t>(packet.bytes.size()) * 1'000'000 / rate;
}

void BandwidthStage::push(Packet packet, Micros now) {
  const int64_t rate = settings_.rate;
  if (rate > 0 && packet.kind == Packet::Kind::data) {
    count(StageAction::throttled, packet.bytes.size());
    const size_t piece = static_cast<size_t>(rate) * 100;  // 100 ms worth of data
    if (packet.bytes.size() > piece) {
      // Only slow links split, and only what exceeds 100 ms of data is copied.
      size_t offset = 0;
      while (packet.bytes.size() - offset > piece) {
        Packet part{.kind = Packet::Kind::data,
                    .bytes = std::vector<uint8_t>(packet.bytes.begin() + offset,
                                                  packet.bytes.begin() + offset + piece),
                    .entered_at = packet.entered_at};
        pace(std::move(part), now);
        offset += piece;
      }
      packet.bytes.erase(packet.bytes.begin(), packet.bytes.begin() + offset);
    }
  }
  pace(std::move(packet), now);
}

void BandwidthStage::reconfigure(const StageSettings& settings) {
  settings_ = settings_as<Settings>(settings);
  repace();
}

Fields<BandwidthStage::Settings> BandwidthStage::fields() {
  return Fields<Settings>{
      integer_field(&Settings::rate, "rate", "KB/s",
                    "Throughput in kilobytes (1000 bytes) per second; 0 = unlimited.")};
}

}  // namespace camleak::impair
