#pragma once
// Plays a resolved timeline on the real clock: each action when it is due (play_order.hpp),
// against the proxy (stages, partitions, storm drops), the fleet (redials), the SUT (restart)
// and the admin API (share, revoke). Actions run one after another on the caller's thread, so a
// slow one (a SUT restart) delays the next ones rather than overlapping them; every lateness is
// reported, and a lateness that could change a verdict is a harness error.
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
#include "harness/runner/play_order.hpp"
#include "harness/schedule/timeline.hpp"

namespace camleak::proxy {
class Proxy;
class SessionRoutes;
}  // namespace camleak::proxy

namespace camleak::runner {

class DeviceFleet;
class SutAdmin;
class SutDriver;

struct PlayerTargets {
  proxy::Proxy& proxy;
  DeviceFleet& fleet;
  SutDriver& sut;
  SutAdmin& admin;
  EventLog& events;
  // Device name -> its link names (a storm drops and redials all of them).
  std::map<std::string, std::vector<std::string>> device_links;
  // Routes of RTP over UDP: a link registered there keeps its datagram stages there (its
  // RTSP connection keeps the stream stages), and its partition drops datagrams as well.
  proxy::SessionRoutes& routes;
};

// What the SUT was told and when: one entry per share or revoke sent (run clock).
struct AdminCall {
  std::string verb;  // "share" or "revoke"
  std::string camera;
  std::string account;
  Micros time{};     // the scenario's time of the action
  Micros sent_at{};  // when the request left
  Micros done_at{};  // when the SUT answered (or the call failed)
  bool accepted = false;
  std::string error;  // why not, when not accepted
};

class Player {
 public:
  // A revoke is sent this long before its scheduled time, so that the SUT has it when the
  // ground truth says the share ends (frames captured before then are legitimately in flight).
  static constexpr Micros kRevokeLead = std::chrono::milliseconds(300);

  // Plays the actions before `until` (run clock).
  Player(const schedule::Timeline& timeline, Micros until, const Clock& clock,
         PlayerTargets targets);

  // Sends every action due at time 0 at once. Called after the run clock starts and before the
  // fleet does, so a fault written `at: 0s` is in force before any device sends its first byte.
  void play_initial();
  // Plays the remaining actions, each when due, calling `tick` at least every 250 ms with the
  // current phase, and returns at `until`. Returns early when stop() is called. Throws
  // HarnessError when an action fails in a way the run cannot continue from (the SUT does not
  // come back after a restart).
  void play(const std::function<void(const std::string& phase)>& tick);
  void stop();

  const std::string& phase() const { return phase_; }
  // Problems that may have changed the verdict (an action sent too late, a stage the proxy
  // could not apply): the run is a harness failure.
  const std::vector<std::string>& errors() const { return errors_; }
  // Lateness that cannot change a verdict (a phase marker), for the report.
  const std::vector<std::string>& notes() const { return notes_; }
  // Every share and revoke sent, in the order sent; refusals are the SUT's failure.
  const std::vector<AdminCall>& admin_calls() const { return admin_calls_; }

 private:
  // Sends the action at order_[next_] and advances.
  void send_next();
  // Waits until `t` on the run clock or stop(); false when stopped.
  bool wait_until(Micros t, const std::function<void(const std::string&)>& tick);
  void execute(const schedule::TimedAction& action);
  void set_stages(const schedule::TimedAction& action, const schedule::step::SetStages& set);
  void clear_stages(const schedule::TimedAction& action, const schedule::step::ClearStages& clear);
  void partition(const schedule::TimedAction& action, bool start);
  void record(const schedule::TimedAction& action, const std::string& what);

  // Sends a share or revoke (`call_sut`) and records it as an AdminCall.
  void admin_call(const schedule::TimedAction& action, const std::string& camera,
                  const std::string& account, const std::function<void()>& call_sut);

  const schedule::Timeline& timeline_;
  const Micros until_;
  const std::vector<DueAction> order_;
  size_t next_ = 0;
  const Clock& clock_;
  PlayerTargets targets_;
  std::string phase_ = "baseline";
  std::vector<std::string> errors_;
  std::vector<std::string> notes_;
  std::vector<AdminCall> admin_calls_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopped_ = false;
};

}  // namespace camleak::runner
