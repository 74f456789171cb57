#include "harness/proxy/proxy.hpp"

#include <boost/asio/post.hpp>
#include <future>
#include <set>
#include <type_traits>

#include "harness/core/errors.hpp"
#include "harness/proxy/endpoint.hpp"
#include "harness/proxy/link.hpp"
#include "harness/proxy/tcp_link.hpp"
#include "harness/proxy/udp_link.hpp"

namespace camleak::proxy {

Proxy::Proxy(boost::asio::io_context& io, const Clock& clock, EventLog* events,
             ProxyOptions options, const impair::Registry& registry)
    : shared_(std::make_shared<ProxyShared>(io, clock, events, registry, options)) {}

Proxy::~Proxy() {
  // Only reachable safely when the io_context is not running elsewhere (ProxyThread joins
  // its thread first); close everything directly.
  for (auto& [name, link] : links_) link->stop();
  links_.clear();
}

template <typename F>
auto Proxy::run(F&& f) const {
  using Result = std::invoke_result_t<F>;
  auto& io = shared_->io;
  if (io.get_executor().running_in_this_thread() || io.stopped()) return f();
  std::packaged_task<Result()> task(std::forward<F>(f));
  auto done = task.get_future();
  boost::asio::post(io, [&task] { task(); });
  return done.get();  // rethrows what the task threw
}

Link& Proxy::find(const std::string& name) const {
  const auto it = links_.find(name);
  if (it == links_.end()) throw ProxyError(ProxyError::Kind::not_found, "proxy not found");
  return *it->second;
}

impair::StageSpec Proxy::complete(const Link& link, impair::StageSpec spec) const {
  const impair::StageType* type = shared_->registry.find(spec.type);
  if (!type) {
    throw ProxyError(ProxyError::Kind::bad_request, "invalid toxic type: " + spec.type);
  }
  if (spec.name.empty()) {
    spec.name = impair::default_stage_name(spec.type, spec.direction);
  }
  const auto transport = link.config().protocol == Protocol::udp ? impair::Transport::datagram
                                                                 : impair::Transport::stream;
  if (type->transport != transport) {
    throw ProxyError(ProxyError::Kind::bad_request,
                     "toxic type " + spec.type + " applies to " +
                         (type->transport == impair::Transport::stream ? "tcp" : "udp") +
                         " links; " + link.config().name + " is " +
                         std::string(to_string(link.config().protocol)));
  }
  return impair::validated(spec, transport, shared_->registry);
}

std::shared_ptr<Link> Proxy::make_link(LinkConfig config, std::vector<impair::StageSpec> stages) {
  if (config.protocol == Protocol::udp) {
    return std::make_shared<UdpLink>(shared_, std::move(config), std::move(stages));
  }
  return std::make_shared<TcpLink>(shared_, std::move(config), std::move(stages));
}

LinkInfo Proxy::add_link(LinkConfig config, std::vector<impair::StageSpec> stages) {
  return run([&]() -> LinkInfo {
    if (config.name.empty()) {
      throw ProxyError(ProxyError::Kind::bad_request, "missing required field: name");
    }
    if (config.upstream.empty()) {
      throw ProxyError(ProxyError::Kind::bad_request, "missing required field: upstream");
    }
    if (config.listen.empty()) config.listen = "127.0.0.1:0";
    parse_host_port(config.listen, "listen");
    parse_host_port(config.upstream, "upstream");
    if (links_.contains(config.name)) {
      throw ProxyError(ProxyError::Kind::already_exists, "proxy already exists");
    }
    auto link = make_link(config, {});
    std::vector<impair::StageSpec> completed;
    for (auto& spec : stages) {
      auto c = complete(*link, std::move(spec));
      for (const auto& other : completed) {
        if (other.name == c.name) {
          throw ProxyError(ProxyError::Kind::already_exists, "toxic already exists: " + c.name);
        }
      }
      completed.push_back(std::move(c));
    }
    link = make_link(std::move(config), std::move(completed));
    if (link->config().enabled) link->start();
    links_.emplace(link->config().name, link);
    return link->info();
  });
}

bool Proxy::remove_link(const std::string& name) {
  return run([&] {
    const auto it = links_.find(name);
    if (it == links_.end()) return false;
    it->second->stop();
    retire_tap(*it->second);
    links_.erase(it);
    return true;
  });
}

LinkInfo Proxy::set_enabled(const std::string& name, bool enabled) {
  return update_link(name, LinkUpdate{.enabled = enabled});
}

LinkInfo Proxy::update_link(const std::string& name, const LinkUpdate& update) {
  return run([&]() -> LinkInfo {
    Link& link = find(name);
    if (update.listen) parse_host_port(*update.listen, "listen");
    if (update.upstream) parse_host_port(*update.upstream, "upstream");
    const bool moved = (update.listen && *update.listen != link.config().listen) ||
                       (update.upstream && *update.upstream != link.config().upstream);
    const bool enable = update.enabled.value_or(link.running());
    if (moved) {
      link.stop();
      if (update.listen) link.set_listen(*update.listen);
      if (update.upstream) link.set_upstream(*update.upstream);
    }
    if (enable && !link.running()) {
      link.start();
      shared_->event(name, 0, "", "link-enabled");
    } else if (!enable && link.running()) {
      link.stop();
      shared_->event(name, 0, "", "link-disabled");
    }
    return link.info();
  });
}

LinkInfo Proxy::link(const std::string& name) const {
  return run([&] { return find(name).info(); });
}

std::vector<LinkInfo> Proxy::links() const {
  return run([&] {
    std::vector<LinkInfo> out;
    out.reserve(links_.size());
    for (const auto& [name, link] : links_) out.push_back(link->info());
    return out;
  });
}

impair::StageSpec Proxy::add_stage(const std::string& link_name, impair::StageSpec spec) {
  return run([&]() -> impair::StageSpec {
    Link& link = find(link_name);
    auto completed = complete(link, std::move(spec));
    for (const auto& s : link.stages()) {
      if (s.name == completed.name) {
        throw ProxyError(ProxyError::Kind::already_exists, "toxic already exists");
      }
    }
    link.add_stage(completed);
    return completed;
  });
}

impair::StageSpec Proxy::update_stage(const std::string& link_name, const std::string& stage,
                                      const StageUpdate& update) {
  return run([&]() -> impair::StageSpec {
    Link& link = find(link_name);
    const impair::StageSpec* current = nullptr;
    for (const auto& s : link.stages()) {
      if (s.name == stage) current = &s;
    }
    if (!current) throw ProxyError(ProxyError::Kind::not_found, "toxic not found");
    impair::StageSpec spec = *current;
    if (update.attributes) {
      for (const auto& [key, value] : *update.attributes) spec.attributes[key] = value;
    }
    if (update.toxicity) spec.toxicity = *update.toxicity;
    if (update.targeting) spec.targeting = *update.targeting;
    if (update.window) spec.window = *update.window;
    spec = complete(link, std::move(spec));
    link.update_stage(spec);
    return spec;
  });
}

bool Proxy::remove_stage(const std::string& link_name, const std::string& stage) {
  return run([&] {
    const auto it = links_.find(link_name);
    if (it == links_.end()) return false;
    Link& link = *it->second;
    bool found = false;
    for (const auto& s : link.stages()) found = found || s.name == stage;
    if (found) link.remove_stage(stage);
    return found;
  });
}

size_t Proxy::reset_connections(const std::string& link,
                                const std::optional<std::vector<uint64_t>>& indices) {
  return run([&] { return find(link).reset_sessions(indices); });
}

void Proxy::reset_all() {
  run([&] {
    for (auto& [name, link] : links_) {
      link->remove_all_stages();
      if (!link->running()) link->start();
    }
  });
}

LinkStats Proxy::stats(const std::string& link) const {
  return run([&] { return find(link).stats(); });
}

void Proxy::retire_tap(const Link& link) {
  const auto tap = link.shared_tap();
  if (!tap || !link.config().tap.ring) return;
  retired_taps_.push_back({link.config().name, shared_->clock.now(), tap});
  prune_retired_taps();
}

void Proxy::prune_retired_taps() const {
  const Micros now = shared_->clock.now();
  size_t bytes = 0;
  for (const auto& r : retired_taps_) bytes += r.tap->ring_bytes();
  while (!retired_taps_.empty() &&
         (bytes > shared_->options.retired_tap_bytes ||
          retired_taps_.front().removed_at < now - shared_->options.tap_ring_age)) {
    bytes -= retired_taps_.front().tap->ring_bytes();
    retired_taps_.pop_front();
  }
}

std::vector<std::string> Proxy::tapped_links(const std::string& prefix, Micros from,
                                             Micros to) const {
  return run([&] {
    prune_retired_taps();
    std::set<std::string> names;
    for (const auto& [name, link] : links_) {
      if (link->config().tap.ring && link->tap() && name.rfind(prefix, 0) == 0 &&
          link->tap()->frames_in(from, to) > 0) {
        names.insert(name);
      }
    }
    for (const auto& r : retired_taps_) {
      if (r.link.rfind(prefix, 0) == 0 && r.tap->frames_in(from, to) > 0) names.insert(r.link);
    }
    return std::vector<std::string>(names.begin(), names.end());
  });
}

size_t Proxy::write_window(const std::string& link_name, Micros from, Micros to,
                           const std::string& path) const {
  return run([&]() -> size_t {
    prune_retired_taps();
    if (!links_.count(link_name)) {
      // Newest first: a name can come back after its link was removed.
      for (auto it = retired_taps_.rbegin(); it != retired_taps_.rend(); ++it) {
        if (it->link == link_name) return it->tap->write_window(from, to, path);
      }
    }
    Link& link = find(link_name);
    if (!link.tap() || !link.config().tap.ring) {
      throw ProxyError(ProxyError::Kind::bad_request,
                       "link " + link_name + " keeps no tap ring (tap.ring is off)");
    }
    return link.tap()->write_window(from, to, path);
  });
}

void Proxy::flush_taps() {
  run([&] {
    for (auto& [name, link] : links_) {
      if (link->tap()) link->tap()->flush();
    }
  });
}

void Proxy::shutdown() {
  run([&] {
    for (auto& [name, link] : links_) link->stop();
    shared_->wakeups.clear();  // nothing left to wake
  });
}

const Clock& Proxy::clock() const {
  return shared_->clock;
}
EventLog* Proxy::events() const {
  return shared_->events;
}
const impair::Registry& Proxy::registry() const {
  return shared_->registry;
}
boost::asio::io_context& Proxy::io_context() const {
  return shared_->io;
}

}  // namespace camleak::proxy
