#include "harness/impair/reset_peer.hpp"

#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

ResetPeerStage::ResetPeerStage(StageContext context, const Settings& settings)
    : Stage(std::move(context)), timeout_(settings.timeout) {}

std::optional<Micros> ResetPeerStage::deadline() const {
  if (reset_ || !armed_at_) return std::nullopt;
  return *armed_at_ + timeout_;
}

void ResetPeerStage::push(Packet packet, Micros now) {
  if (reset_) {
    count(StageAction::discarded, packet.bytes.size());
    return;
  }
  if (!armed_at_ && packet.kind == Packet::Kind::data) {
    armed_at_ = now;
    note(StageAction::armed, now);
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
  if (bytes > 0) count(StageAction::discarded, bytes);
  note(StageAction::reset, *due);
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

Fields<ResetPeerStage::Settings> ResetPeerStage::fields() {
  return Fields<Settings>{milliseconds_field(
      &Settings::timeout, "timeout", "Wait after the first data before the reset; 0 = at once.")};
}

}  // namespace camleak::impair
