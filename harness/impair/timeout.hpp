#pragma once
// timeout (stream, Toxiproxy): stops all data (a blackhole). After `timeout` ms the connection is
// closed and what was held is discarded; with timeout 0 the connection stays open and silent
// until the stage is removed, and then everything held flows on in order (Toxiproxy leaves the
// data unread in its pipe, so removing the toxic lets it through).
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_fields.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class TimeoutStage final : public Stage {
 public:
  struct Settings : StageSettings {
    Micros timeout{0};  // 0 = never close
  };
  static constexpr StageDescription kDescription{
      .name = "timeout",
      .transport = Transport::stream,
      .doc =
          "Stops all data; closes the connection after timeout (0 = never, data resumes when the "
          "stage is removed) (Toxiproxy)."};
  static Fields<Settings> fields();

  TimeoutStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override;
  std::optional<Micros> next_wakeup(Micros now) const override;
  // The timer restarts at the latest time the stage has seen (Toxiproxy's update restarts the
  // toxic).
  void reconfigure(const StageSettings& settings) override;
  std::vector<Packet> drain() override { return held_.drain(); }
  size_t held_bytes() const override { return held_.bytes(); }
  size_t held_packets() const override { return held_.size(); }

 private:
  std::optional<Micros> deadline() const;

  Micros timeout_{0};
  Micros timer_start_{0};
  Micros latest_{0};
  bool closed_ = false;
  OrderedQueue held_;
};

}  // namespace camleak::impair
