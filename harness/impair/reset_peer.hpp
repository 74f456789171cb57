#pragma once
// reset_peer (stream, Toxiproxy): once data arrives, waits `timeout` ms and then resets the
// connection (TCP RST); from the first data on nothing passes, and what was held is discarded
// with the reset, as Toxiproxy's SO_LINGER 0 close discards unsent data. Signals that arrive
// before any data pass through. timeout 0 resets on the first data.
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_fields.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class ResetPeerStage final : public Stage {
 public:
  struct Settings : StageSettings {
    Micros timeout{0};
  };
  static constexpr StageDescription kDescription{
      .name = "reset_peer",
      .transport = Transport::stream,
      .doc = "Resets the connection (TCP RST) timeout ms after data first arrives (Toxiproxy)."};
  static Fields<Settings> fields();

  ResetPeerStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override;
  std::optional<Micros> next_wakeup(Micros now) const override;
  void reconfigure(const StageSettings& settings) override;
  // Removed before the reset fired: what it held flows on (nothing is dropped on removal).
  std::vector<Packet> drain() override;
  size_t held_bytes() const override { return passing_.bytes() + held_.bytes(); }
  size_t held_packets() const override { return passing_.size() + held_.size(); }

 private:
  std::optional<Micros> deadline() const;

  Micros timeout_{0};
  std::optional<Micros> armed_at_;  // when the first data arrived
  bool reset_ = false;
  OrderedQueue passing_;  // signals that came before any data
  OrderedQueue held_;     // everything from the first data on
};

}  // namespace camleak::impair
