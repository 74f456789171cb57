#pragma once
// rate (datagram, netem): a link of `rate` kbit/s (1 kbit = 1000 bits) that sends one datagram
// at a time, each taking (size + packet_overhead) * 8 / rate; datagrams queue in order behind
// each other. rate 0 = unlimited. Holds at most `limit` datagrams; more are dropped (netem's
// queue limit).
#include "harness/impair/paced_stage.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

class RateStage final : public PacedStage {
 public:
  struct Settings : StageSettings {
    double rate = 0;  // kbit/s; 0 = unlimited
    int64_t packet_overhead = 0;
    size_t limit = 1000;
  };
  static constexpr StageDescription kDescription{
      .name = "rate",
      .transport = Transport::datagram,
      .doc = "Serialises datagrams at rate kbit/s, queueing them in order (netem rate)."};
  static Fields<Settings> fields();

  RateStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  void reconfigure(const StageSettings& settings) override;

 private:
  int64_t cost_ns(const Packet& packet) const override;

  Settings settings_;
};

}  // namespace camleak::impair
