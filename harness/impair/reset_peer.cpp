#include "harness/impair/reset_peer.hpp"

#include "harness/impair/settings_fields.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

ResetPeerStage::ResetPeerStage(StageContext context, const Settings& settings)
    : Stage(std::move(context)), timeout_(settings.timeout) {}

std::optional<Micros> ResetPeerStage::deadline() const {
  if (reset_ || !armed_at_) return std::nullopt;
  return *armed_at_ + timeout_;
}

void ResetPeerStage::push(Packet packet, Micros now) {
  if (reset_) {
    count("discarded", packet.bytes.size());
    return;
  }
  if (!armed_at_ && packet.kind == Packet::Kind::data) {
    armed_at_ = now;
    note("armed", now);
  }
  if (armed_at_) {
    held_.push(std::move(packet), Micros::max());
  } else {
    passing_.push(std::move(packet), now);
  }
}

std::optional<Packet> ResetPeerStage::pop(Micros now) {
  if (auto packet = passing_.pop(now)) return packet;
  const auto due = deadline();
  if (!due || now < *due) return std::nullopt;
  reset_ = true;
  const size_t bytes = held_.clear();
  if (bytes > 0) count("discarded", bytes);
  note("reset", *due);
  return Packet{.kind = Packet::Kind::reset, .entered_at = now};
}

std::optional<Micros> ResetPeerStage::next_wakeup(Micros) const {
  if (const auto ready = passing_.next_ready()) return ready;
  return deadline();
}

void ResetPeerStage::reconfigure(const StageSettings& settings) {
  timeout_ = settings_as<Settings>(settings).timeout;
}

std::vector<Packet> ResetPeerStage::drain() {
  std::vector<Packet> out = passing_.drain();
  for (auto& packet : held_.drain()) out.push_back(std::move(packet));
  return out;
}

StageType reset_peer_stage_type() {
  using S = ResetPeerStage::Settings;
  return stage_type_of<ResetPeerStage>(
      {.name = "reset_peer",
       .transport = Transport::stream,
       .doc = "Resets the connection (TCP RST) timeout ms after data first arrives (Toxiproxy)."},
      {milliseconds_field(&S::timeout, "timeout",
                          "Wait after the first data before the reset; 0 = at once.")});
}

}  // namespace camleak::impair
