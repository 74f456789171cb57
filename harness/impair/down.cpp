#include "harness/impair/down.hpp"

#include "harness/impair/attribute_access.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {

DownStage::Settings DownStage::Settings::parse(const Attributes& attributes) {
  Settings s;
  s.reset = string_attribute(attributes, "mode", "reset") == "reset";
  return s;
}

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
  return StageType{
      .name = "down",
      .transport = Transport::stream,
      .doc =
          "The connection is refused or cut at once: emits a reset or close, discards the "
          "rest.",
      .attributes = {choice_spec("mode", "reset", {"reset", "close"},
                                 "reset = TCP RST (connection refused/reset), close = FIN.")},
      .parse = parser_of<DownStage>(),
      .create = factory_of<DownStage>()};
}

}  // namespace camleak::impair
