#pragma once
// limit_data (stream, Toxiproxy): lets `bytes` bytes through in total, cutting the chunk that
// crosses the limit, then closes the connection. The count survives reconfiguration.
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

class LimitDataStage final : public QueuedStage<OrderedQueue> {
 public:
  struct Settings : StageSettings {
    uint64_t bytes = 0;
  };
  static constexpr StageDescription kDescription{
      .name = "limit_data",
      .transport = Transport::stream,
      .doc = "Closes the connection once bytes have been transmitted (Toxiproxy)."};
  static Fields<Settings> fields();

  LimitDataStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  void reconfigure(const StageSettings& settings) override;

 private:
  uint64_t limit_ = 0;
  uint64_t transmitted_ = 0;
  bool closed_ = false;
};

}  // namespace camleak::impair
