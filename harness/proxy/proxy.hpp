#pragma once
// The lossy-link proxy: named TCP/UDP links, each direction of each connection a chain of
// impairment stages. This is the programmatic API the runner uses in-process; the control API
// (Toxiproxy-compatible HTTP) is a thin layer over it.
//
// Every method may be called from any thread: it runs on the proxy's io_context (posted and
// waited for, or directly when called from that io_context's thread). The io_context must be
// running on some thread for calls from other threads to return; ProxyThread provides one.
#include <boost/asio/io_context.hpp>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/core/event_log.hpp"
#include "harness/impair/chain.hpp"
#include "harness/impair/registry.hpp"
#include "harness/proxy/link_config.hpp"
#include "harness/proxy/link_stats.hpp"
#include "harness/proxy/proxy_error.hpp"
#include "harness/proxy/proxy_options.hpp"

namespace camleak::proxy {

class Link;
class LinkTap;
struct ProxyShared;

struct LinkUpdate {
  std::optional<std::string> listen;
  std::optional<std::string> upstream;
  std::optional<bool> enabled;
};

struct StageUpdate {
  std::optional<impair::Attributes> attributes;  // merged into the current ones
  std::optional<double> toxicity;
  std::optional<impair::Targeting> targeting;
  std::optional<impair::Window> window;
};

class Proxy {
 public:
  // `events` may be null. `clock` is the run's clock: stage windows, the event log and
  // write_window() use its time.
  Proxy(boost::asio::io_context& io, const Clock& clock, EventLog* events,
        ProxyOptions options = {}, const impair::Registry& registry = impair::Registry::builtin());
  ~Proxy();
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;

  // Creates a link (listening right away when enabled) with these stages. Throws
  // ProxyError (already_exists, bad_request, listen_failed) or InputError (bad attributes).
  LinkInfo add_link(LinkConfig config, std::vector<impair::StageSpec> stages = {});
  // False when there is no such link (absent is an answer, not an error).
  bool remove_link(const std::string& name);
  // Disabling closes every connection of the link and stops accepting (Toxiproxy's semantics);
  // enabling listens again on the same address.
  LinkInfo set_enabled(const std::string& name, bool enabled);
  // Toxiproxy's proxy update: a new listen or upstream address restarts the link.
  LinkInfo update_link(const std::string& name, const LinkUpdate& update);
  LinkInfo link(const std::string& name) const;
  std::vector<LinkInfo> links() const;  // by name

  // Stage names are unique within a link; an empty name becomes "<type>_<stream>". The
  // attributes are validated and completed with defaults; the stored spec is returned.
  impair::StageSpec add_stage(const std::string& link, impair::StageSpec spec);
  impair::StageSpec update_stage(const std::string& link, const std::string& stage,
                                 const StageUpdate& update);
  // False when the link or its stage does not exist.
  bool remove_stage(const std::string& link, const std::string& stage);

  // Resets (RST both sides) the link's connections with these indices, or all of them.
  size_t reset_connections(const std::string& link,
                           const std::optional<std::vector<uint64_t>>& indices = std::nullopt);
  // Toxiproxy's POST /reset: every link enabled, every stage removed.
  void reset_all();

  LinkStats stats(const std::string& link) const;
  // Writes the link's tapped frames with time in [from, to] (proxy clock) to a pcap file.
  // The link needs TapConfig::ring. Returns the number of frames written.
  // A link removed less than tap_ring_age ago (and within retired_tap_bytes) still answers
  // from the ring it had.
  size_t write_window(const std::string& link, Micros from, Micros to,
                      const std::string& path) const;
  // Names of the links, live or recently removed, that begin with `prefix` and whose ring holds
  // frames in [from, to] (`live:hub-2/` lists that device's RTP routes with media then).
  std::vector<std::string> tapped_links(const std::string& prefix, Micros from, Micros to) const;
  void flush_taps();
  // Closes every link (and its connections). The proxy stays usable.
  void shutdown();

  const Clock& clock() const;
  EventLog* events() const;
  const impair::Registry& registry() const;
  boost::asio::io_context& io_context() const;

 private:
  template <typename F>
  auto run(F&& f) const;
  Link& find(const std::string& name) const;
  impair::StageSpec complete(const Link& link, impair::StageSpec spec) const;
  std::shared_ptr<Link> make_link(LinkConfig config, std::vector<impair::StageSpec> stages);
  void retire_tap(const Link& link);
  // Drops the removed links' rings past their age or the byte budget, oldest first.
  void prune_retired_taps() const;

  struct RetiredTap {
    std::string link;
    Micros removed_at;
    std::shared_ptr<LinkTap> tap;
  };

  std::shared_ptr<ProxyShared> shared_;
  std::map<std::string, std::shared_ptr<Link>> links_;
  mutable std::deque<RetiredTap> retired_taps_;  // oldest first
};

}  // namespace camleak::proxy
