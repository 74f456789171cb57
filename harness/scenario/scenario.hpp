#pragma once
// A scenario as the rest of camleak uses it: plain structs, every default applied, every name
// resolved, everything checked. Produced only by load_scenario (loader.hpp); the format a person
// writes is documented in scenarios/README.md.
//
// What is fixed here, independent of the seed: the fleet (accounts, cameras, hubs with their
// names and numeric camera codes), the share intervals, the baseline stages of every link, the
// timeline as written, the phases and the checks. What the seed decides (which devices a
// fraction selects, storm members, backoff delays) is resolved by camleak::schedule::resolve.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/core/defect.hpp"
#include "harness/impair/chain.hpp"
#include "harness/scenario/adapter_loader.hpp"

namespace camleak::scenario {

// ---------------------------------------------------------------------------------------------
// System under test

struct BuiltinSut {
  std::vector<Defect> defects;  // camleak::Defect, in file order, no duplicates
  Micros snapshot_cache_ttl = std::chrono::seconds(2);
  Micros revoke_enforcement_interval =
      std::chrono::seconds(1);  // how often live sessions are rechecked
  Micros session_timeout = std::chrono::seconds(30);
};

struct ReadinessProbe {
  std::string url;                            // polled until it answers 2xx
  Micros timeout = std::chrono::seconds(30);  // give up (exit 3) after this long
};

// A relay that speaks the SUT contract (DESIGN.md), reached by URL.
struct ExternalSut {
  std::string rtsp_url;   // rtsp://host:port  (cameras publish, hubs play /cameras/{camera})
  std::string http_url;   // http://host:port  (GET /cameras/{camera}/snapshot)
  std::string admin_url;  // http://host:port  (PUT /admin/...)
  std::string start;      // shell command that starts it; empty = already running
  std::optional<ReadinessProbe> ready;
  std::string restart;  // shell command; empty = `sut: restart` is not allowed
  std::string stop;     // shell command run at the end; empty = leave it running
};

struct Sut {
  enum class Kind { builtin, external };
  Kind kind = Kind::builtin;
  BuiltinSut builtin;    // meaningful when kind == builtin
  ExternalSut external;  // meaningful when kind == external
  // How each contract action is done on this SUT: `sut.adapter` (a file, or "contract"), the
  // compiled-in contract when not given.
  Adapter adapter = contract_adapter();
  bool can_restart() const { return kind == Kind::builtin || !external.restart.empty(); }
};

// ---------------------------------------------------------------------------------------------
// Fleet (fully expanded: one entry per account, camera and hub)

enum class MediaTransport { tcp, udp };  // RTP interleaved in RTSP/TCP, or RTP over UDP
std::string_view to_string(MediaTransport t);

struct Camera {
  std::string name;   // unique across cameras and hubs
  std::string owner;  // account name
  uint32_t code = 0;  // unique numeric code drawn into the picture (pixel code), 1-based
  uint32_t width = 320;
  uint32_t height = 240;
  uint32_t fps = 10;
  uint32_t gop = 20;  // frames per IDR period
  uint64_t bitrate_bps = 256'000;
  MediaTransport transport = MediaTransport::tcp;
};

struct Hub {
  std::string name;
  std::string account;                   // the account it is logged in as
  bool watch_own = true;                 // plays every camera its account owns
  bool watch_shared = true;              // plays cameras shared with its account while shared
  std::vector<std::string> own_cameras;  // cameras of its account (what watch_own plays)
  MediaTransport transport = MediaTransport::tcp;      // how it asks the SUT to send RTP
  Micros snapshot_interval = std::chrono::seconds(2);  // 0 = no snapshot polling
  // Authorization probes: every probe_interval the hub asks for a camera its account must NOT
  // see (neither owned nor shared at that moment) and expects a refusal. 0 = no probes.
  Micros probe_interval = std::chrono::seconds(5);
  bool probe_live = true;      // probe with RTSP PLAY
  bool probe_snapshot = true;  // probe with HTTP snapshot GET
};

struct Account {
  std::string name;
  std::vector<std::string> cameras;  // names, in fleet order
  std::vector<std::string> hubs;
};

struct Fleet {
  std::vector<Account> accounts;  // file order
  std::vector<Camera> cameras;    // account order, then index within the account
  std::vector<Hub> hubs;          // same

  const Account* account(std::string_view name) const;
  const Camera* camera(std::string_view name) const;
  const Hub* hub(std::string_view name) const;
};

// Camera `camera` is visible to `account` in [from, until) (until empty = to the end).
struct Share {
  std::string camera;
  std::string account;
  Micros from{};
  std::optional<Micros> until;
  std::string source;  // where it was granted: "shares[0]" or a timeline entry id
  bool contains(Micros t) const { return t >= from && (!until || t < *until); }
};

// ---------------------------------------------------------------------------------------------
// Links: one per device and role. The run loop creates one proxy link per entry.

enum class LinkRole {
  uplink,    // camera -> SUT (RTSP publish); device = camera
  live,      // SUT -> hub (RTSP play); device = hub
  snapshot,  // SUT -> hub (HTTP snapshot); device = hub
};
std::string_view to_string(LinkRole r);
// "uplink:cam-3", "live:hub-2", "snapshot:hub-2".
std::string link_name(LinkRole role, std::string_view device);

// In every role the device is the proxy's client, so "up" (device -> SUT) is
// impair::Direction::upstream and "down" (SUT -> device) is downstream.
struct Link {
  std::string name;
  LinkRole role = LinkRole::uplink;
  std::string device;                                       // camera or hub name
  std::string account;                                      // the device's account
  impair::Transport transport = impair::Transport::stream;  // media transport of this link
  std::string profile;                    // named profile it started from ("" = none), for reports
  std::vector<impair::StageSpec> stages;  // baseline chain, attributes completed by the registry
};

// ---------------------------------------------------------------------------------------------
// Timeline as written (seed-independent); schedule::resolve turns it into concrete actions.

enum class DeviceKind { cameras, hubs };
// Whose links a role's are: cameras for uplink, hubs for live and snapshot.
inline DeviceKind device_kind(LinkRole role) {
  return role == LinkRole::uplink ? DeviceKind::cameras : DeviceKind::hubs;
}

// Which devices an action applies to. A device is selected when it matches every list that is
// given (accounts: the device's account; cameras / hubs: glob patterns on names), then
// `fraction` of those are chosen with the seed (at least one when the fraction is > 0).
struct Selector {
  std::vector<std::string> accounts;
  std::vector<std::string> cameras;
  std::vector<std::string> hubs;
  std::optional<double> fraction;
  bool all() const { return accounts.empty() && cameras.empty() && hubs.empty() && !fraction; }
};

// The links a timeline action applies to: `link:` (the role) of the devices `select:` picks.
struct LinkTarget {
  LinkRole role = LinkRole::live;
  Selector select;
};

// Adds or replaces (by stage name) stages on the selected links; `duration` set = removed again
// after that long.
struct SetAction : LinkTarget {
  std::vector<impair::StageSpec> stream_stages;    // what a link carrying TCP media gets
  std::vector<impair::StageSpec> datagram_stages;  // what a link carrying UDP media gets
  std::optional<Micros> duration;
  const std::vector<impair::StageSpec>& stages(impair::Transport t) const {
    return t == impair::Transport::datagram ? datagram_stages : stream_stages;
  }
};

// Removes stages by name or by type (`names` empty = every stage on the link). Links that do not
// hold such a stage are left alone.
struct ClearAction : LinkTarget {
  std::vector<std::string> names;
};

// Moves one numeric attribute of a stage linearly from `from` to `to` over [at, at + over],
// resolved into a `set` every `every` (the last step lands exactly on at + over).
struct RampAction : LinkTarget {
  impair::StageSpec stage;  // attributes completed; `attribute` is overwritten at each step
  std::string attribute;
  double from = 0;  // in the attribute's registry unit (e.g. ms for latency)
  double to = 0;
  bool integer = true;  // the attribute is an integer: step values are rounded
  // The stage type's transport (from the registry, at load): a datagram stage ramps only links
  // whose media goes over UDP.
  impair::Transport transport = impair::Transport::stream;
  Micros over{};
  Micros every = std::chrono::milliseconds(250);
};

// Cuts the selected links completely for `duration`, then heals them.
struct PartitionAction : LinkTarget {
  Micros duration{};
};

// Reconnect storm: selected devices drop their connections and redial. In YAML the modes are
// written `mode: all-at-once` and `mode: spread` (values use hyphens, keys underscores).
//  all-at-once: every member drops at `at` and redials at `at + down`.
//  spread: each member drops at a seeded time in [at, at + window]; it then retries with seeded
//          jittered exponential backoff (delay_k = min(max, initial * multiplier^k) scaled by a
//          factor drawn from [1 - jitter, 1]) and its first attempt at or after drop + down
//          succeeds.
struct StormAction {
  enum class Mode { all_at_once, spread };
  DeviceKind devices = DeviceKind::hubs;
  Selector select;
  Mode mode = Mode::all_at_once;
  Micros window{};
  Micros down = std::chrono::seconds(1);
  Micros backoff_initial = std::chrono::milliseconds(500);
  Micros backoff_max = std::chrono::seconds(10);
  double backoff_multiplier = 2.0;
  double backoff_jitter = 0.5;
};

struct SutRestartAction {};

struct ShareAction {
  std::string camera;
  std::string account;
};

struct RevokeAction {
  std::string camera;
  std::string account;
};

struct PhaseMarker {
  std::string name;
};

using ActionBody = std::variant<SetAction, ClearAction, RampAction, PartitionAction, StormAction,
                                SutRestartAction, ShareAction, RevokeAction, PhaseMarker>;

struct TimelineEntry {
  Micros at{};
  // Stable identity used to derive this entry's random streams (Rng::derive(seed, id + ...)):
  // the `id:` written in the file, else "<kind>@<time>" (+ "#<n>" for repeats), so adding an
  // unrelated entry never reshuffles another one.
  std::string id;
  int line = 0;  // 1-based position of the entry in the file, for messages
  int column = 0;
  size_t index = 0;  // position in the file's `timeline` list (0-based)
  ActionBody body;
};
std::string_view action_kind(const ActionBody& body);  // "set", "clear", "ramp", ...

// ---------------------------------------------------------------------------------------------
// Checks and phases

// Limits judged per phase. Unset optionals are not checked.
struct PhaseLimits {
  std::optional<Micros> max_stall;             // longest gap between delivered frames of a stream
  std::optional<Micros> max_recovery;          // time to first good frame after a fault ends
  std::optional<double> min_delivered_ratio;   // delivered / sent frames, in [0, 1]
  Micros freshness = std::chrono::seconds(5);  // older delivered frames are STALE
  bool probes_refused = true;                  // every authorization probe must be refused
};

// Liveness, judged over the whole run by default, so that a relay which accepts everything and
// delivers nothing cannot pass: every camera must publish, and every entitled stream (a hub and
// a camera its account may see) must deliver a first frame and keep delivering. Time inside a
// fault window on the stream's path (its hub's or camera's links, a storm of either, a SUT
// restart), and `fault_recovery` after it, is excused.
struct LivenessLimits {
  bool enabled = true;  // `liveness: off` switches every liveness check off
  Micros first_frame = std::chrono::seconds(6);      // entitled, then a first frame within this
  Micros max_stall = std::chrono::seconds(6);        // longest gap outside excused time
  Micros fault_recovery = std::chrono::seconds(10);  // excused after each fault ends
  double min_delivered_ratio = 0.5;                  // of the frames sent outside excused time
};

struct Checks {
  uint64_t leaks = 0;  // always 0: any cross-account frame fails the run
  PhaseLimits defaults;
  LivenessLimits liveness;
  // How long after a revoke's scenario time the sharee may still receive the camera's frames
  // (captured before the revoke). The harness sends each revoke ahead of its time.
  Micros revoke_grace{0};
};

// [start, end) of the run; phases tile [0, duration) without gaps. Time before the first
// `phase` marker belongs to the implicit phase "baseline".
struct Phase {
  std::string name;
  Micros start{};
  Micros end{};
  PhaseLimits limits;  // checks defaults with this phase's overrides applied
};

// ---------------------------------------------------------------------------------------------

struct Scenario {
  std::string file;  // where it was loaded from ("" for text)
  std::string name;
  std::string description;
  std::optional<uint64_t> seed;  // the run's --seed wins over this
  Micros duration{};
  Sut sut;
  Fleet fleet;
  std::vector<Share> shares;  // every interval, from the `shares` section and the timeline,
                              // sorted by (from, camera, account)
  std::vector<Link> links;    // uplink links (camera order), then live, then snapshot (hub order)
  std::vector<TimelineEntry> timeline;  // sorted by time, file order for equal times
  Checks checks;
  std::vector<Phase> phases;

  const Link* link(std::string_view name) const;
  // Whether `account` may see `camera` at time t: owner, or a share interval contains t.
  bool visible(std::string_view account, std::string_view camera, Micros t) const;
  // Every camera `account` may see at time t (own, then shared), in fleet order. What a hub
  // watches (with watch_own / watch_shared), and the complement is what its probes ask for.
  std::vector<std::string> visible_cameras(std::string_view account, Micros t) const;
};

}  // namespace camleak::scenario
