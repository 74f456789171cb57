// Timeline::to_text: a stable, human-readable listing (explain, and byte comparisons in tests).
#include <cstdio>

#include "harness/core/overloaded.hpp"
#include "harness/core/units.hpp"
#include "harness/schedule/timeline.hpp"

namespace camleak::schedule {

std::string_view kind_name(const Step& step) {
  return std::visit([](const auto& s) { return std::decay_t<decltype(s)>::kName; }, step);
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
  if (spec.toxicity < 1.0) out += " toxicity=" + impair::attribute_text(spec.toxicity);
  for (const auto& [name, value] : spec.attributes)
    out += " " + name + "=" + impair::attribute_text(value);
  return out + "}";
}

std::string action_text(const TimedAction& a) {
  std::string text(kind_name(a.step));
  auto list = [](const std::vector<std::string>& items) {
    std::string out;
    for (size_t i = 0; i < items.size() && i < 6; ++i) out += (i ? ", " : " ") + items[i];
    if (items.size() > 6) out += " (+" + std::to_string(items.size() - 6) + " more)";
    return out;
  };
  text +=
      std::visit(overloaded{
                     [](const step::SetStages& s) {
                       std::string out = " [";
                       for (size_t i = 0; i < s.stages.size(); ++i)
                         out += (i ? "; " : "") + stage_text(s.stages[i]);
                       return out + "]";
                     },
                     [&](const step::ClearStages& s) { return list(s.names); },
                     [](const step::Share& s) { return " " + s.camera + " with " + s.account; },
                     [](const step::Revoke& s) { return " " + s.camera + " with " + s.account; },
                     [](const step::PhaseStart& s) { return " " + s.name; },
                     [](const step::PartitionStart&) { return std::string(); },
                     [](const step::PartitionEnd&) { return std::string(); },
                     [](const step::Drop&) { return std::string(); },
                     [](const step::Redial&) { return std::string(); },
                     [](const step::SutRestart&) { return std::string(); },
                 },
                 a.step);
  if (!a.links.empty()) text += " on" + list(a.links);
  if (!a.devices.empty()) text += " devices" + list(a.devices);
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
    std::snprintf(kind, sizeof kind, "%-11s", std::string(kind_name(a.step)).c_str());
    line += kind;
    line += std::visit(
        overloaded{
            [&](const step::SetStages& s) {
              std::vector<std::string> stages;
              for (const auto& spec : s.stages) stages.push_back(stage_text(spec));
              return " " + join(stages, " ") + " on " + join(a.links);
            },
            [&](const step::ClearStages& s) {
              return " " + (s.names.empty() ? std::string("all stages") : join(s.names)) + " on " +
                     join(a.links);
            },
            [&](const step::PartitionStart&) { return " " + join(a.links); },
            [&](const step::PartitionEnd&) { return " " + join(a.links); },
            [&](const step::Drop&) { return " " + join(a.devices) + " (" + join(a.links) + ")"; },
            [&](const step::Redial&) { return " " + join(a.devices) + " (" + join(a.links) + ")"; },
            [](const step::SutRestart&) { return std::string(); },
            [](const step::Share& s) { return " " + s.camera + " with " + s.account; },
            [](const step::Revoke& s) { return " " + s.camera + " from " + s.account; },
            [](const step::PhaseStart& s) { return " " + s.name; },
        },
        a.step);
    if (!a.note.empty()) line += "  (" + a.note + ")";
    line += "  [" + a.source + "]";
    out += line + "\n";
  }
  return out;
}

}  // namespace camleak::schedule
