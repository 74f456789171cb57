#include "harness/impair/chain.hpp"

#include <algorithm>
#include <deque>

#include "harness/core/errors.hpp"
#include "harness/core/event_log.hpp"
#include "harness/impair/passthrough.hpp"

namespace camleak::impair {
std::string default_stage_name(std::string_view type, Direction direction) {
  return std::string(type) + "_" + std::string(to_string(direction));
}

bool Targeting::matches(uint64_t connection, uint64_t seed) const {
  switch (mode) {
    case Mode::all:
      return true;
    case Mode::indices:
      return std::find(indices.begin(), indices.end(), connection) != indices.end();
    case Mode::fraction: {
      if (fraction >= 1) return true;
      if (fraction <= 0) return false;
      Rng rng(Rng::derive(seed, "connection:" + std::to_string(connection)));
      return rng.uniform() < fraction;
    }
    case Mode::first_n:
      return connection < n;
    case Mode::nth:
      return connection == n;
  }
  return false;
}

struct Chain::Impl {
  // A stage waits for its window to open, acts inside it, and is finished once the window
  // closed (its instance drained into the next stage, its counters kept).
  enum class State { waiting, active, finished };

  struct Entry {
    StageSpec spec;
    const StageType* type = nullptr;  // null for the pass-through
    uint64_t stage_seed = 0;
    Micros added_at{};
    State state = State::waiting;
    std::unique_ptr<Stage> stage;
    ActionCounts retired;  // counters of an instance whose window closed
  };

  ChainContext context;
  const Registry* registry;
  std::vector<Entry> entries;
  std::deque<Packet> out;
  size_t out_bytes = 0;
  struct StageTotals {
    std::string name;
    std::string type;
    ActionCounts counts;
  };
  std::vector<StageTotals> removed;  // counters of removed stages, for the report

  Impl(ChainContext c, const Registry& r) : context(std::move(c)), registry(&r) {
    Entry head;
    head.spec.name = std::string(PassthroughStage::kName);
    head.spec.type = std::string(PassthroughStage::kName);
    head.spec.direction = context.direction;
    head.state = State::active;
    head.stage = std::make_unique<PassthroughStage>(stage_context(head.spec.name, 0, Micros{0}));
    entries.push_back(std::move(head));
  }

  Micros since_epoch(Micros now) const { return now - context.link_epoch; }

  std::string label(std::string_view name) const {
    return context.link + "/" + std::to_string(context.connection) + "/" +
           std::string(to_string(context.direction)) + "/" + std::string(name);
  }

  StageContext stage_context(const std::string& name, uint64_t seed, Micros created_at) const {
    return StageContext{.name = name,
                        .link = context.link,
                        .connection = context.connection,
                        .direction = context.direction,
                        .rng = Rng(seed),
                        .events = context.events,
                        .created_at = created_at};
  }

  void record(Micros now, const std::string& stage, std::string_view action) const {
    if (context.events == nullptr) return;
    context.events->record(FaultEvent{.time = now,
                                      .link = context.link,
                                      .connection = context.connection,
                                      .direction = std::string(to_string(context.direction)),
                                      .stage = stage,
                                      .action = std::string(action)});
  }

  Entry* find(std::string_view name, size_t* index = nullptr) {
    // Index 0 is the pass-through, which cannot be removed or reconfigured.
    for (size_t i = 1; i < entries.size(); ++i) {
      if (entries[i].spec.name == name) {
        if (index) *index = i;
        return &entries[i];
      }
    }
    return nullptr;
  }

  void activate(Entry& entry, Micros now) {
    // The instance's clock starts when its window opened, not when we happened to notice.
    Micros created_at = entry.added_at;
    if (entry.spec.window.start) {
      created_at = std::clamp(context.link_epoch + *entry.spec.window.start, entry.added_at, now);
    }
    entry.stage = entry.type->create(stage_context(entry.spec.name, entry.stage_seed, created_at),
                                     *entry.spec.settings);
    entry.state = State::active;
    if (entry.spec.window.start) record(created_at, entry.spec.name, "window-start");
  }

  // Sends `packet` to the first acting stage at or after index `from`, or out of the chain.
  void forward(size_t from, Packet packet, Micros now) {
    for (size_t k = from; k < entries.size(); ++k) {
      if (entries[k].state == State::active) {
        entries[k].stage->push(std::move(packet), now);
        return;
      }
    }
    out_bytes += packet.bytes.size();
    out.push_back(std::move(packet));
  }

  // Hands what stage `index` holds to the stages after it, in order, and retires the instance.
  void retire(size_t index, Micros now) {
    Entry& entry = entries[index];
    entry.state = State::finished;
    if (!entry.stage) return;
    entry.retired.add(entry.stage->counters());
    std::vector<Packet> held = entry.stage->drain();
    entry.stage.reset();
    for (auto& packet : held) forward(index + 1, std::move(packet), now);
  }

  // Opens and closes windows at `now`. Openings first, so what a closing stage releases flows
  // into stages whose window opened at the same moment.
  void sync(Micros now) {
    const Micros t = since_epoch(now);
    for (size_t i = 1; i < entries.size(); ++i) {
      Entry& entry = entries[i];
      if (entry.state != State::waiting) continue;
      if (entry.spec.window.contains(t)) {
        activate(entry, now);
      } else if (entry.spec.window.stop && t >= *entry.spec.window.stop) {
        entry.state = State::finished;
      }
    }
    for (size_t i = 1; i < entries.size(); ++i) {
      Entry& entry = entries[i];
      if (entry.state == State::active && entry.spec.window.stop && t >= *entry.spec.window.stop) {
        retire(i, now);
        record(std::max(now, context.link_epoch + *entry.spec.window.stop), entry.spec.name,
               "window-end");
      }
    }
  }

  // Moves everything ready at `now` down the chain, stage by stage.
  void pump(Micros now) {
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].state != State::active) continue;
      while (auto packet = entries[i].stage->pop(now)) forward(i + 1, std::move(*packet), now);
    }
  }
};

Chain::Chain(ChainContext context, const Registry& registry)
    : impl_(std::make_unique<Impl>(std::move(context), registry)) {}
Chain::~Chain() = default;
Chain::Chain(Chain&&) noexcept = default;
Chain& Chain::operator=(Chain&&) noexcept = default;

bool Chain::add(const StageSpec& spec, Micros now) {
  Impl& c = *impl_;
  if (spec.direction != c.context.direction) return false;
  const StageType& type = c.registry->get(spec.type);
  if (type.transport != c.context.transport) {
    throw InputError(Diagnostic{.field = "type",
                                .message = "stage type `" + type.name + "` applies to " +
                                           std::string(to_string(type.transport)) + " links, not " +
                                           std::string(to_string(c.context.transport)) + " links"});
  }
  if (spec.name == PassthroughStage::kName || c.find(spec.name)) {
    throw InputError(
        Diagnostic{.field = "name", .message = "a stage named `" + spec.name + "` already exists"});
  }
  const uint64_t targeting_seed =
      Rng::derive(c.context.seed, c.context.link + "/" + std::string(to_string(spec.direction)) +
                                      "/" + spec.name + "/targeting");
  if (!spec.targeting.matches(c.context.connection, targeting_seed)) return false;

  // Toxicity is rolled once per connection, reproducibly from the run seed.
  const uint64_t roll_seed = Rng::derive(c.context.seed, c.label(spec.name));
  if (spec.toxicity < 1.0) {
    Rng roll(roll_seed);
    if (!(roll.uniform() < spec.toxicity)) return false;
  }

  Impl::Entry entry;
  entry.spec = spec;
  if (!entry.spec.settings) {
    entry.spec.attributes = c.registry->complete(spec.type, spec.attributes);
    entry.spec.settings = type.parse(entry.spec.attributes);
  }
  entry.type = &type;
  entry.stage_seed = Rng::derive(roll_seed, "stage");
  entry.added_at = now;
  c.entries.push_back(std::move(entry));
  c.sync(now);
  return true;
}

bool Chain::remove(std::string_view name, Micros now) {
  Impl& c = *impl_;
  c.sync(now);
  size_t index = 0;
  Impl::Entry* entry = c.find(name, &index);
  if (!entry) return false;
  std::vector<Packet> held;
  ActionCounts counters = entry->retired;
  if (entry->stage) {
    counters.add(entry->stage->counters());
    held = entry->stage->drain();
  }
  c.removed.push_back({entry->spec.name, entry->spec.type, counters});
  c.entries.erase(c.entries.begin() + static_cast<std::ptrdiff_t>(index));
  // What the stage held continues, in order, into the stage that followed it.
  for (auto& packet : held) c.forward(index, std::move(packet), now);
  return true;
}

bool Chain::reconfigure(std::string_view name, const Attributes& attributes) {
  Impl& c = *impl_;
  Impl::Entry* entry = c.find(name);
  if (!entry) return false;
  Attributes merged = entry->spec.attributes;
  for (const auto& [key, value] : attributes) merged[key] = value;
  entry->spec.attributes = c.registry->complete(entry->spec.type, merged);
  entry->spec.settings = entry->type->parse(entry->spec.attributes);
  if (entry->stage) entry->stage->reconfigure(*entry->spec.settings);
  return true;
}

bool Chain::reconfigure(const StageSpec& spec) {
  if (!spec.settings) return reconfigure(spec.name, spec.attributes);
  Impl& c = *impl_;
  Impl::Entry* entry = c.find(spec.name);
  if (!entry) return false;
  entry->spec.attributes = spec.attributes;
  entry->spec.settings = spec.settings;
  if (entry->stage) entry->stage->reconfigure(*spec.settings);
  return true;
}

void Chain::push(Packet packet, Micros now) {
  Impl& c = *impl_;
  c.sync(now);
  packet.entered_at = now;
  c.forward(0, std::move(packet), now);
  c.pump(now);
}

std::optional<Packet> Chain::pop(Micros now) {
  Impl& c = *impl_;
  if (c.out.empty()) {
    c.sync(now);
    c.pump(now);
    if (c.out.empty()) return std::nullopt;
  }
  Packet packet = std::move(c.out.front());
  c.out.pop_front();
  c.out_bytes -= packet.bytes.size();
  return packet;
}

std::optional<Micros> Chain::next_wakeup(Micros now) const {
  const Impl& c = *impl_;
  if (!c.out.empty()) return now;
  std::optional<Micros> earliest;
  auto consider = [&](Micros t) {
    if (!earliest || t < *earliest) earliest = t;
  };
  const Micros t = c.since_epoch(now);
  for (const auto& entry : c.entries) {
    const Window& window = entry.spec.window;
    if (entry.state == Impl::State::waiting) {
      // Wake when the window opens: stages such as timeout or down act on their own from then.
      if (window.contains(t)) {
        consider(now);
      } else if (window.start && t < *window.start) {
        consider(c.context.link_epoch + *window.start);
      }
    } else if (entry.state == Impl::State::active) {
      const auto wakeup = entry.stage->next_wakeup(now);
      if (wakeup) consider(*wakeup);
      // Whatever it holds is released when its window closes.
      if (window.stop && (wakeup || entry.stage->held_packets() > 0)) {
        consider(c.context.link_epoch + *window.stop);
      }
    }
  }
  return earliest;
}

bool Chain::empty() const {
  const Impl& c = *impl_;
  if (!c.out.empty()) return false;
  for (const auto& entry : c.entries) {
    if (entry.state != Impl::State::active) continue;
    if (entry.stage->held_packets() > 0 || entry.stage->next_wakeup(Micros{0})) return false;
  }
  return true;
}

size_t Chain::held_bytes() const {
  const Impl& c = *impl_;
  size_t total = c.out_bytes;
  for (const auto& entry : c.entries) {
    if (entry.stage) total += entry.stage->held_bytes();
  }
  return total;
}

std::vector<Chain::StageCounters> Chain::counters() const {
  const Impl& c = *impl_;
  std::vector<Impl::StageTotals> merged;
  auto merge = [&](const std::string& name, const std::string& type, const ActionCounts& counts) {
    for (auto& existing : merged) {
      if (existing.name == name && existing.type == type) {
        existing.counts.add(counts);
        return;
      }
    }
    merged.push_back({name, type, counts});
  };
  for (const auto& entry : c.entries) {
    ActionCounts counts = entry.retired;
    if (entry.stage) counts.add(entry.stage->counters());
    merge(entry.spec.name, entry.spec.type, counts);
  }
  for (const auto& gone : c.removed) merge(gone.name, gone.type, gone.counts);
  std::vector<StageCounters> result;
  for (const auto& stage : merged) result.push_back({stage.name, stage.type, stage.counts.named()});
  return result;
}

std::vector<std::string> Chain::stage_names() const {
  std::vector<std::string> names;
  for (const auto& entry : impl_->entries) names.push_back(entry.spec.name);
  return names;
}

StageSpec validated(const StageSpec& spec, Transport transport, const Registry& registry) {
  std::vector<Diagnostic> problems;
  StageSpec out = spec;
  if (spec.name.empty()) problems.push_back({.field = "name", .message = "must not be empty"});
  if (spec.name == PassthroughStage::kName) {
    problems.push_back(
        {.field = "name", .message = "`passthrough` is reserved for the chain head"});
  }
  if (!(spec.toxicity >= 0.0 && spec.toxicity <= 1.0)) {
    problems.push_back(
        {.field = "toxicity",
         .message = "must be between 0 and 1, got " + std::to_string(spec.toxicity)});
  }
  if (spec.targeting.mode == Targeting::Mode::fraction &&
      !(spec.targeting.fraction >= 0.0 && spec.targeting.fraction <= 1.0)) {
    problems.push_back({.field = "targeting",
                        .message = "fraction must be between 0 and 1, got " +
                                   std::to_string(spec.targeting.fraction)});
  }
  if (spec.targeting.mode == Targeting::Mode::indices && spec.targeting.indices.empty()) {
    problems.push_back({.field = "targeting", .message = "names no connection indices"});
  }
  if ((spec.window.start && spec.window.start->count() < 0) ||
      (spec.window.stop && spec.window.stop->count() < 0)) {
    problems.push_back({.field = "window", .message = "times must not be negative"});
  }
  if (spec.window.start && spec.window.stop && *spec.window.stop <= *spec.window.start) {
    problems.push_back({.field = "window", .message = "stop must be after start"});
  }
  const StageType* type = registry.find(spec.type);
  if (!type) {
    try {
      registry.get(spec.type);
    } catch (const InputError& error) {
      for (const auto& d : error.diagnostics()) problems.push_back(d);
    }
  } else {
    if (type->transport != transport) {
      problems.push_back({.field = "type",
                          .message = "stage type `" + type->name + "` applies to " +
                                     std::string(to_string(type->transport)) + " links, not " +
                                     std::string(to_string(transport)) + " links"});
    }
    try {
      out.attributes = registry.complete(spec.type, spec.attributes);
      out.settings = type->parse(out.attributes);
    } catch (const InputError& error) {
      for (const auto& d : error.diagnostics()) problems.push_back(d);
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return out;
}

}  // namespace camleak::impair
