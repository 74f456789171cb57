// Timeline::to_text: a stable, human-readable listing (explain, and byte comparisons in tests).
#include <cstdio>

#include "harness/core/units.hpp"
#include "harness/schedule/timeline.hpp"

namespace camleak::schedule {

std::string_view to_string(TimedAction::Kind kind) {
  using Kind = TimedAction::Kind;
  switch (kind) {
    case Kind::set_stages:
      return "set";
    case Kind::clear_stages:
      return "clear";
    case Kind::partition_start:
      return "partition";
    case Kind::partition_end:
      return "heal";
    case Kind::drop:
      return "drop";
    case Kind::redial:
      return "redial";
    case Kind::sut_restart:
      return "sut-restart";
    case Kind::share:
      return "share";
    case Kind::revoke:
      return "revoke";
    case Kind::phase:
      return "phase";
  }
  return "?";
}

namespace {

// Seconds with millisecond precision, microseconds only when present: "  12.250s".
std::string time_text(Micros t) {
  char buf[48];
  const long long us = t.count();
  if (us % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%10.3fs", static_cast<double>(us) / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%13.6fs", static_cast<double>(us) / 1e6);
  }
  return buf;
}

std::string value_text(const impair::AttributeValue& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return x;
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return std::to_string(x);
        } else {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.9g", x);
          return buf;
        }
      },
      v);
}

std::string join(const std::vector<std::string>& v, const char* sep = ",") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

// "latency_downstream{latency up latency=500 jitter=0 ...}" style, attributes by name.
std::string stage_text(const impair::StageSpec& spec) {
  std::string out = spec.name + "{" + spec.type + " " +
                    (spec.direction == impair::Direction::upstream ? "up" : "down");
  if (spec.toxicity < 1.0) out += " toxicity=" + value_text(spec.toxicity);
  for (const auto& [name, value] : spec.attributes) out += " " + name + "=" + value_text(value);
  return out + "}";
}

std::string action_text(const TimedAction& a) {
  std::string text(to_string(a.kind));
  auto list = [](const std::vector<std::string>& items) {
    std::string out;
    for (size_t i = 0; i < items.size() && i < 6; ++i) out += (i ? ", " : " ") + items[i];
    if (items.size() > 6) out += " (+" + std::to_string(items.size() - 6) + " more)";
    return out;
  };
  if (!a.stages.empty()) {
    text += " [";
    for (size_t i = 0; i < a.stages.size(); ++i) text += (i ? "; " : "") + stage_text(a.stages[i]);
    text += "]";
  }
  if (!a.stage_names.empty()) text += list(a.stage_names);
  if (!a.links.empty()) text += " on" + list(a.links);
  if (!a.devices.empty()) text += " devices" + list(a.devices);
  if (!a.camera.empty()) text += " " + a.camera + " with " + a.account;
  if (!a.phase.empty()) text += " " + a.phase;
  if (!a.note.empty()) text += " (" + a.note + ")";
  return text;
}

std::string Timeline::to_text() const {
  std::string out;
  out += "seed " + std::to_string(seed) + ", duration " + units::format_duration(duration) + ", " +
         std::to_string(actions.size()) + " actions\n";
  for (const auto& a : actions) {
    std::string line = time_text(a.time) + "  ";
    char kind[16];
    std::snprintf(kind, sizeof kind, "%-11s", std::string(to_string(a.kind)).c_str());
    line += kind;
    switch (a.kind) {
      case TimedAction::Kind::set_stages: {
        std::vector<std::string> stages;
        for (const auto& s : a.stages) stages.push_back(stage_text(s));
        line += " " + join(stages, " ") + " on " + join(a.links);
        break;
      }
      case TimedAction::Kind::clear_stages:
        line += " " + (a.stage_names.empty() ? std::string("all stages") : join(a.stage_names)) +
                " on " + join(a.links);
        break;
      case TimedAction::Kind::partition_start:
      case TimedAction::Kind::partition_end:
        line += " " + join(a.links);
        break;
      case TimedAction::Kind::drop:
      case TimedAction::Kind::redial:
        line += " " + join(a.devices) + " (" + join(a.links) + ")";
        break;
      case TimedAction::Kind::sut_restart:
        break;
      case TimedAction::Kind::share:
        line += " " + a.camera + " with " + a.account;
        break;
      case TimedAction::Kind::revoke:
        line += " " + a.camera + " from " + a.account;
        break;
      case TimedAction::Kind::phase:
        line += " " + a.phase;
        break;
    }
    if (!a.note.empty()) line += "  (" + a.note + ")";
    line += "  [" + a.source + "]";
    out += line + "\n";
  }
  return out;
}

}  // namespace camleak::schedule
