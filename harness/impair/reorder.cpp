#include "harness/impair/reorder.hpp"

#include "harness/impair/settings_pieces.hpp"

namespace camleak::impair {

ReorderStage::ReorderStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  reconfigure(settings);
}

void ReorderStage::reconfigure(const StageSettings& settings) {
  settings_ = settings_as<Settings>(settings);
  chance_.set(settings_.chance);
}

void ReorderStage::push(Packet packet, Micros now) {
  if (packet.kind != Packet::Kind::data) {
    queue_.push(std::move(packet), now);
    return;
  }
  if (queue_.size() >= settings_.limit) {
    note(StageAction::overflow, now, packet.bytes.size());
    return;
  }
  // netem: not yet `gap` - 1 delayed, or the roll says no: delay; otherwise send at once.
  if (counter_ + 1 < settings_.gap || !chance_.decide(context_.rng)) {
    ++counter_;
    count(StageAction::delayed, packet.bytes.size());
    queue_.push(std::move(packet), now + settings_.delay);
    return;
  }
  counter_ = 0;
  note(StageAction::reordered, now, packet.bytes.size());
  queue_.push(std::move(packet), now);
}

Fields<ReorderStage::Settings> ReorderStage::fields() {
  return fields_of<Settings>(
      within(&Settings::chance, chance_fields("Chance that an eligible datagram is sent at once.")),
      integer_field(&Settings::gap, "gap", "packets",
                    "Only after gap - 1 delayed datagrams may one go at once.", 1.0),
      fractional_milliseconds_field(&Settings::delay, "delay",
                                    "Delay of the datagrams not reordered."),
      integer_field(&Settings::limit, "limit", "packets",
                    "Most datagrams held; more are dropped (netem's limit).", 1.0));
}

}  // namespace camleak::impair
