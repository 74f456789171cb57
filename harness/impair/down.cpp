#include "harness/impair/down.hpp"

#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

DownStage::DownStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  const bool reset = settings.reset;
  note(reset ? StageAction::reset : StageAction::close, context_.created_at);
  queue_.push(Packet{.kind = reset ? Packet::Kind::reset : Packet::Kind::close,
                     .entered_at = context_.created_at},
              context_.created_at);
}

void DownStage::push(Packet packet, Micros) {
  count(StageAction::discarded, packet.bytes.size());
}

Fields<DownStage::Settings> DownStage::fields() {
  return Fields<Settings>{choice_field(&Settings::reset, "mode",
                                       Choices<bool>{{"reset", true}, {"close", false}},
                                       "reset = TCP RST (connection refused/reset), close = FIN.")};
}

}  // namespace camleak::impair
