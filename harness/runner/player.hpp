#pragma once
// Plays a resolved timeline on the real clock: each action at its time, against the proxy
// (stages, partitions, storm drops), the fleet (redials), the SUT (restart) and the admin API
// (share, revoke). Actions run one after another on the caller's thread, so a slow one (a SUT
// restart) delays the next ones rather than overlapping them; every lateness is reported.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/core/event_log.hpp"
#include "harness/schedule/timeline.hpp"

namespace camleak::proxy {
class Proxy;
}

namespace camleak::runner {

class Fleet;
class MediaRoutes;
class Provisioner;
class SutDriver;

struct PlayerTargets {
  proxy::Proxy& proxy;
  Fleet& fleet;
  SutDriver& sut;
  Provisioner& provisioner;
  EventLog& events;
  // Device name -> its link names (a storm drops and redials all of them).
  std::map<std::string, std::vector<std::string>> device_links;
  // Routes of RTP over UDP: a link registered there keeps its datagram stages there (its
  // RTSP connection keeps the stream stages), and its partition drops datagrams as well.
  MediaRoutes& routes;
};

class Player {
 public:
  // A revoke is sent this long before its scheduled time, so that the SUT has it when the
  // ground truth says the share ends (frames captured before then are legitimately in flight).
  static constexpr Micros kRevokeLead = std::chrono::milliseconds(300);

  Player(const schedule::Timeline& timeline, const Clock& clock, PlayerTargets targets);

  // Plays every action before `until` (run clock), calling `tick` at least every 250 ms with
  // the current phase. Returns early when stop() is called. Throws HarnessError when an action
  // fails in a way the run cannot continue from (the SUT does not come back after a restart).
  void play(Micros until, const std::function<void(const std::string& phase)>& tick);
  void stop();

  const std::string& phase() const { return phase_; }
  // Human-readable problems met while playing (late actions, refused admin calls).
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  // Waits until `t` on the run clock or stop(); false when stopped.
  bool wait_until(Micros t, const std::function<void(const std::string&)>& tick);
  void execute(const schedule::TimedAction& action);
  void set_stages(const schedule::TimedAction& action);
  void clear_stages(const schedule::TimedAction& action);
  void partition(const schedule::TimedAction& action, bool start);
  void record(const schedule::TimedAction& action, const std::string& what);

  const schedule::Timeline& timeline_;
  const Clock& clock_;
  PlayerTargets targets_;
  std::string phase_ = "baseline";
  std::vector<std::string> warnings_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopped_ = false;
};

}  // namespace camleak::runner
