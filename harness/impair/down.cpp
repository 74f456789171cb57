#include "harness/impair/down.hpp"

#include "harness/impair/settings_fields.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

DownStage::DownStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  const bool reset = settings.reset;
  note(reset ? "reset" : "close", context_.created_at);
  queue_.push(Packet{.kind = reset ? Packet::Kind::reset : Packet::Kind::close,
                     .entered_at = context_.created_at},
              context_.created_at);
}

void DownStage::push(Packet packet, Micros) {
  count("discarded", packet.bytes.size());
}

StageType down_stage_type() {
  using S = DownStage::Settings;
  return stage_type_of<DownStage>(
      {.name = "down",
       .transport = Transport::stream,
       .doc = "The connection is refused or cut at once: emits a reset or close, discards the "
              "rest."},
      {choice_field(&S::reset, "mode", Choices<bool>{{"reset", true}, {"close", false}},
                    "reset = TCP RST (connection refused/reset), close = FIN.")});
}

}  // namespace camleak::impair
