#include "harness/proxy/link.hpp"

#include <algorithm>

#include "harness/core/rng.hpp"

namespace camleak::proxy {

ProxyShared::ProxyShared(boost::asio::io_context& io_context, const Clock& proxy_clock,
                         EventLog* event_log, const impair::Registry& stage_registry,
                         ProxyOptions proxy_options)
    : io(io_context),
      clock(proxy_clock),
      events(event_log),
      registry(stage_registry),
      options(proxy_options),
      scratch(std::max<size_t>(proxy_options.read_chunk, 65536)),
      wall_at_zero(
          std::chrono::system_clock::now() -
          std::chrono::duration_cast<std::chrono::system_clock::duration>(proxy_clock.now())),
      wakeups(io_context, proxy_clock) {}

void ProxyShared::event(const std::string& link, uint64_t connection, std::string_view direction,
                        std::string_view action, uint64_t bytes) const {
  if (!events) return;
  events->record({.time = clock.now(),
                  .link = link,
                  .connection = connection,
                  .direction = std::string(direction),
                  .stage = "proxy",
                  .action = std::string(action),
                  .bytes = bytes});
}

Link::Link(std::shared_ptr<ProxyShared> proxy, LinkConfig config,
           std::vector<impair::StageSpec> stages)
    : proxy_(std::move(proxy)),
      config_(std::move(config)),
      stages_(std::move(stages)),
      epoch_(config_.epoch.value_or(proxy_->clock.now())) {
  counters_.name = config_.name;
  if (!config_.tap.pcap_file.empty() || config_.tap.ring) {
    tap_ = std::make_shared<LinkTap>(config_.tap, proxy_->options.tap_ring_bytes,
                                     proxy_->options.tap_ring_age, proxy_->wall_at_zero);
  }
}

LinkInfo Link::info() const {
  return {.name = config_.name,
          .listen = config_.listen,
          .port = running() ? bound_port() : uint16_t{0},
          .upstream = config_.upstream,
          .protocol = config_.protocol,
          .enabled = running(),
          .stages = stages_};
}

LinkStats Link::stats() const {
  LinkStats out = counters_;
  out.connections_active = sessions_.size();
  std::map<std::string, StageStats> stages = retired_;
  for (const auto& [index, session] : sessions_) session->collect(stages);
  out.stages.clear();
  for (auto& [key, s] : stages) out.stages.push_back(std::move(s));
  return out;
}

impair::Chain Link::make_chain(uint64_t session, impair::Direction direction, Micros now,
                               size_t& stages_added) const {
  impair::ChainContext context{.link = config_.name,
                               .connection = session,
                               .direction = direction,
                               .transport = config_.protocol == Protocol::udp
                                                ? impair::Transport::datagram
                                                : impair::Transport::stream,
                               .seed = proxy_->options.seed,
                               .events = proxy_->events,
                               .link_epoch = epoch_};
  impair::Chain chain(std::move(context), proxy_->registry);
  stages_added = 0;
  for (const auto& spec : stages_) {
    if (chain.add(spec, now)) ++stages_added;
  }
  return chain;
}

void Link::add_stage(const impair::StageSpec& spec) {
  stages_.push_back(spec);
  const Micros now = proxy_->clock.now();
  for (const auto& session : live_sessions()) session->add_stage(spec, now);
}

void Link::update_stage(const impair::StageSpec& spec) {
  auto it = std::find_if(stages_.begin(), stages_.end(),
                         [&](const impair::StageSpec& s) { return s.name == spec.name; });
  if (it == stages_.end()) return;
  // Toxicity, targeting, window and direction decide whether a session has the stage at all:
  // when they change the stage is re-rolled (removed and added, releasing what it held in
  // order); otherwise only the attributes change and the stage keeps its state.
  const bool same_placement = it->toxicity == spec.toxicity && it->direction == spec.direction &&
                              it->targeting.mode == spec.targeting.mode &&
                              it->targeting.indices == spec.targeting.indices &&
                              it->targeting.fraction == spec.targeting.fraction &&
                              it->targeting.n == spec.targeting.n &&
                              it->window.start == spec.window.start &&
                              it->window.stop == spec.window.stop && it->type == spec.type;
  *it = spec;
  const Micros now = proxy_->clock.now();
  for (const auto& session : live_sessions()) {
    if (same_placement) {
      session->reconfigure_stage(spec, now);
    } else {
      session->remove_stage(spec.name, now);
      session->add_stage(spec, now);
    }
  }
}

void Link::remove_stage(std::string_view name) {
  std::erase_if(stages_, [&](const impair::StageSpec& s) { return s.name == name; });
  const Micros now = proxy_->clock.now();
  for (const auto& session : live_sessions()) session->remove_stage(name, now);
}

void Link::remove_all_stages() {
  while (!stages_.empty()) remove_stage(std::string(stages_.back().name));
}

size_t Link::reset_sessions(const std::optional<std::vector<uint64_t>>& indices) {
  std::vector<std::shared_ptr<Session>> chosen;
  for (const auto& [index, session] : sessions_) {
    if (!indices || std::find(indices->begin(), indices->end(), index) != indices->end()) {
      chosen.push_back(session);
    }
  }
  for (const auto& session : chosen) {
    proxy_->event(config_.name, session->index(), "", "reset-by-api");
    session->reset();
  }
  return chosen.size();
}

void Link::retire(Session& session) {
  session.collect(retired_);
  sessions_.erase(session.index());
}

void Link::adopt(std::shared_ptr<Session> session) {
  ++counters_.connections_total;
  const uint64_t index = session->index();
  sessions_.emplace(index, std::move(session));
}

std::vector<std::shared_ptr<Session>> Link::live_sessions() const {
  // A copy: acting on a session may end it, and ending it erases it from sessions_.
  std::vector<std::shared_ptr<Session>> all;
  all.reserve(sessions_.size());
  for (const auto& [index, session] : sessions_) all.push_back(session);
  return all;
}

void Link::close_all_sessions() {
  for (const auto& session : live_sessions()) {
    ++counters_.closed_by_disable;
    session->close();
  }
  if (tap_) tap_->flush();
}

}  // namespace camleak::proxy
