#pragma once
// The base of the datagram stages that act on the datagrams one correlated chance picks
// (corrupt, duplicate): their settings, the chance and its reconfiguration live here, so each
// stage writes only what it does to a picked datagram.
#include "harness/impair/distribution.hpp"
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

class ChanceStage : public QueuedStage<OrderedQueue> {
 public:
  struct Settings : StageSettings {
    Chance chance;
  };

  ChanceStage(StageContext context, const Settings& settings) : QueuedStage(std::move(context)) {
    chance_.set(settings.chance);
  }

  void reconfigure(const StageSettings& settings) final {
    chance_.set(settings_as<Settings>(settings).chance);
  }

 protected:
  CorrelatedChance chance_;
};

}  // namespace camleak::impair
