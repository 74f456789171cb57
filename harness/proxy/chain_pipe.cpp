#include "harness/proxy/chain_pipe.hpp"

namespace camleak::proxy {
namespace {

// The finest wake-up the proxy asks for: a chain due sooner is served a step later, so a
// stage whose next packet is due "now" cannot spin the io thread.
constexpr Micros kMinTimerStep{20};

}  // namespace

bool ChainPipe::add(const impair::StageSpec& spec, Micros now) {
  if (!chain.add(spec, now)) return false;
  ++active_stages;
  return true;
}

bool ChainPipe::remove(std::string_view name, Micros now) {
  if (!chain.remove(name, now)) return false;
  if (active_stages) --active_stages;
  return true;
}

void ChainPipe::collect(std::map<std::string, StageStats>& into) const {
  for (const auto& stage : chain.counters()) {
    auto& s = into[stage.name + "/" + std::string(impair::to_string(direction))];
    s.name = stage.name;
    s.type = stage.type;
    s.direction = direction;
    for (const auto& [action, count] : stage.counters) s.counters[action] += count;
  }
}

std::optional<ChainPipe::Wakeup> ChainPipe::next_wakeup(Micros now) {
  auto wake = chain.next_wakeup(now);
  if (!wake) return std::nullopt;
  if (*wake < now + kMinTimerStep) wake = now + kMinTimerStep;
  if (timer_at && *timer_at <= *wake) return std::nullopt;  // an earlier wake-up is already set
  timer_at = wake;
  return Wakeup{*wake, ++timer_ticket};
}

bool ChainPipe::take(uint64_t ticket) {
  if (ticket != timer_ticket) return false;
  timer_at.reset();
  return true;
}

}  // namespace camleak::proxy
