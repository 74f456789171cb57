#include "harness/proxy/session_routes.hpp"

#include <algorithm>

#include "harness/proxy/endpoint.hpp"
#include "harness/proxy/proxy.hpp"

namespace camleak::proxy {

using boost::asio::ip::udp;

void SessionRoutes::add_parent(const std::string& parent,
                               const std::vector<impair::StageSpec>& stages) {
  std::lock_guard lock(mutex_);
  parents_[parent].stages = stages;
}

bool SessionRoutes::has_parent(const std::string& parent) const {
  std::lock_guard lock(mutex_);
  return parents_.contains(parent);
}

impair::StageSpec SessionRoutes::placed(impair::StageSpec spec, bool flipped) {
  if (flipped) {
    spec.direction = spec.direction == impair::Direction::upstream ? impair::Direction::downstream
                                                                   : impair::Direction::upstream;
  }
  return spec;
}

std::optional<SessionRoute> SessionRoutes::open(const std::string& parent,
                                                RouteOrientation orientation,
                                                const udp::endpoint& rtp_target,
                                                const udp::endpoint& rtcp_target) {
  std::lock_guard lock(mutex_);
  const auto it = parents_.find(parent);
  if (closed_ || it == parents_.end()) return std::nullopt;
  Parent& p = it->second;
  const size_t n = ++p.opened;
  const bool flipped = orientation == RouteOrientation::reversed;
  p.reverses = p.reverses || flipped;
  std::vector<impair::StageSpec> stages;
  for (const auto& spec : p.stages) stages.push_back(placed(spec, flipped));

  SessionRoute route;
  std::vector<std::string> links;
  try {
    for (const bool is_rtcp : {false, true}) {
      const udp::endpoint& target = is_rtcp ? rtcp_target : rtp_target;
      const bool v6 = target.address().is_v6();
      LinkConfig config{.name = parent + (is_rtcp ? "/rtcp/" : "/rtp/") + std::to_string(n),
                        .listen = v6 ? "[::1]:0" : "127.0.0.1:0",
                        .upstream = format_host_port(target.address(), target.port()),
                        .protocol = Protocol::udp,
                        .enabled = true,
                        .tap = {.ring = tap_},
                        .epoch = Micros{0}};  // stage windows on the run's timeline
      const LinkInfo info = proxy_.add_link(config, stages);
      links.push_back(config.name);
      p.routes[config.name] = flipped;
      const udp::endpoint at(boost::asio::ip::make_address(v6 ? "::1" : "127.0.0.1"), info.port);
      (is_rtcp ? route.rtcp : route.rtp) = at;
    }
  } catch (...) {
    for (const auto& link : links) {
      p.routes.erase(link);
      proxy_.remove_link(link);
    }
    throw;
  }
  // The route ends when the session lets go of it (the deleter runs even for a null pointer).
  std::weak_ptr<SessionRoutes> weak = weak_from_this();
  route.keep = std::shared_ptr<void>(nullptr, [weak, parent, links](void*) {
    if (const auto self = weak.lock()) self->release(parent, links);
  });
  return route;
}

void SessionRoutes::release(const std::string& parent, const std::vector<std::string>& links) {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  const auto it = parents_.find(parent);
  for (const auto& link : links) {
    if (it != parents_.end()) it->second.routes.erase(link);
    proxy_.remove_link(link);  // already gone when the proxy shut down first
  }
}

void SessionRoutes::set_stage(const std::string& parent, const impair::StageSpec& spec) {
  std::lock_guard lock(mutex_);
  auto& p = parents_.at(parent);
  const auto same = std::find_if(p.stages.begin(), p.stages.end(),
                                 [&](const impair::StageSpec& s) { return s.name == spec.name; });
  if (same != p.stages.end())
    *same = spec;
  else
    p.stages.push_back(spec);
  if (closed_) return;
  for (const auto& [link, flipped] : p.routes) {
    proxy_.remove_stage(link, spec.name);  // replaced when present
    proxy_.add_stage(link, placed(spec, flipped));
  }
}

bool SessionRoutes::remove_stage(const std::string& parent, const std::string& name) {
  std::lock_guard lock(mutex_);
  auto& p = parents_.at(parent);
  const auto erased =
      std::erase_if(p.stages, [&](const impair::StageSpec& s) { return s.name == name; });
  if (erased == 0) return false;
  if (closed_) return true;
  for (const auto& [link, flipped] : p.routes) proxy_.remove_stage(link, name);
  return true;
}

std::vector<impair::StageSpec> SessionRoutes::stages(const std::string& parent) const {
  std::lock_guard lock(mutex_);
  const auto it = parents_.find(parent);
  return it == parents_.end() ? std::vector<impair::StageSpec>{} : it->second.stages;
}

size_t SessionRoutes::routes_opened(const std::string& parent) const {
  std::lock_guard lock(mutex_);
  const auto it = parents_.find(parent);
  return it == parents_.end() ? 0 : it->second.opened;
}

size_t SessionRoutes::routes_open() const {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const auto& [name, p] : parents_) n += p.routes.size();
  return n;
}

std::string SessionRoutes::family(const std::string& link) {
  for (const char* kind : {"/rtp/", "/rtcp/"}) {
    const auto at = link.rfind(kind);
    if (at != std::string::npos)
      return link.substr(0, at + std::char_traits<char>::length(kind) - 1);
  }
  return link;
}

void SessionRoutes::relabel(FaultEvent& event) const {
  const std::string f = family(event.link);
  if (f == event.link) return;
  event.link = f;
  std::lock_guard lock(mutex_);
  const auto it = parents_.find(f.substr(0, f.rfind('/')));
  if (it == parents_.end() || !it->second.reverses) return;
  if (event.direction == "upstream")
    event.direction = "downstream";
  else if (event.direction == "downstream")
    event.direction = "upstream";
}

void SessionRoutes::close() {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  for (auto& [name, p] : parents_) {
    for (const auto& [link, flipped] : p.routes) proxy_.remove_link(link);
    p.routes.clear();
  }
}

}  // namespace camleak::proxy
