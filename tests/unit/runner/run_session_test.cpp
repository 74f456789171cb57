// RunSession's steps against fake parts (SUT, admin API, devices) and the real proxy on
// loopback: the order of the steps and of the teardown, what each failure does to the outcome,
// and that the verdict comes from what the devices delivered.
#include "harness/runner/run_session.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

#include "harness/core/errors.hpp"
#include "harness/scenario/loader.hpp"

namespace camleak::runner {
namespace {

// What the fakes were asked to do, in order.
class Trace {
 public:
  void add(const std::string& step) {
    std::lock_guard lock(mutex_);
    steps_.push_back(step);
  }
  std::vector<std::string> steps() const {
    std::lock_guard lock(mutex_);
    return steps_;
  }
  bool has(const std::string& step) const {
    const auto s = steps();
    return std::find(s.begin(), s.end(), step) != s.end();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> steps_;
};

class FakeSut final : public SutDriver {
 public:
  FakeSut(Trace& trace, std::function<void()> on_start)
      : trace_(trace), on_start_(std::move(on_start)) {}
  void start() override {
    trace_.add("sut.start");
    if (on_start_) on_start_();
  }
  void restart() override { trace_.add("sut.restart"); }
  std::string stop() noexcept override {
    trace_.add("sut.stop");
    return "";
  }
  // Nothing listens there: the fake devices never connect through the proxy.
  SutEndpoints endpoints() const override {
    return {.rtsp_host = "127.0.0.1",
            .rtsp_port = 9,
            .http_host = "127.0.0.1",
            .http_port = 9,
            .admin = {}};
  }
  std::string describe() const override { return "fake SUT"; }

 private:
  Trace& trace_;
  std::function<void()> on_start_;
};

class FakeAdmin final : public SutAdmin {
 public:
  FakeAdmin(Trace& trace, bool refuse_provisioning, bool refuse_shares)
      : trace_(trace), refuse_provisioning_(refuse_provisioning), refuse_shares_(refuse_shares) {}
  void provision(const scenario::Scenario&, const Credentials& credentials) override {
    trace_.add("admin.provision " + std::to_string(credentials.account_tokens.size()) +
               " accounts");
    if (refuse_provisioning_)
      throw HarnessError("PUT /admin/accounts/user-1: 503 Service Unavailable");
  }
  void share(const std::string& camera, const std::string& account) override {
    trace_.add("admin.share " + camera + " " + account);
    if (refuse_shares_) throw HarnessError("PUT share: 500");
  }
  void revoke(const std::string& camera, const std::string& account) override {
    trace_.add("admin.revoke " + camera + " " + account);
  }

 private:
  Trace& trace_;
  bool refuse_provisioning_;
  bool refuse_shares_;
};

// Devices that deliver what the test scripts, through the real hooks, when started.
class FakeFleet final : public DeviceFleet {
 public:
  using Script = std::function<void(const FleetSetup&)>;
  FakeFleet(FleetSetup setup, Trace& trace, Script on_start)
      : setup_(std::move(setup)), trace_(trace), on_start_(std::move(on_start)) {}
  void start() override {
    trace_.add("fleet.start");
    if (on_start_) on_start_(setup_);
  }
  void stop() override {
    if (stopped_) return;
    stopped_ = true;
    trace_.add("fleet.stop");
  }
  void force_reconnect(const std::string& device) override {
    trace_.add("fleet.reconnect " + device);
  }
  void share_granted(const std::string& camera, const std::string& account) override {
    trace_.add("fleet.share_granted " + camera + " " + account);
  }
  std::vector<reports::FleetCount> totals() const override { return {{"hubs", "fake_counter", 7}}; }
  std::vector<rtsp::ConformanceNote> conformance_notes() const override {
    return {{.text = "a fake deviation", .count = 2, .example = "PLAY rtsp://x"}};
  }

 private:
  FleetSetup setup_;
  Trace& trace_;
  Script on_start_;
  bool stopped_ = false;
};

struct Fakes {
  std::function<void()> sut_start;
  bool refuse_provisioning = false;
  bool refuse_shares = false;
  FakeFleet::Script fleet_start;
};

RunParts fake_parts(Trace& trace, Fakes fakes) {
  RunParts parts;
  parts.sut = [&trace, fakes](const scenario::Scenario&, const std::string&,
                              const std::atomic<bool>&) {
    return std::make_unique<FakeSut>(trace, fakes.sut_start);
  };
  parts.admin = [&trace, fakes](const scenario::Scenario&, const SutEndpoints&, const Credentials&,
                                const std::atomic<bool>&) {
    return std::make_unique<FakeAdmin>(trace, fakes.refuse_provisioning, fakes.refuse_shares);
  };
  parts.fleet = [&trace, fakes](FleetSetup setup) {
    return std::make_unique<FakeFleet>(std::move(setup), trace, fakes.fleet_start);
  };
  return parts;
}

// Two accounts with a camera and a hub each; 1 s of real time.
scenario::Scenario two_homes(const std::string& extra = "") {
  return scenario::load_scenario_text(
      "name: session-test\nduration: 1s\nseed: 7\nfleet:\n  accounts: 2\n" + extra, "session.yaml");
}

// What a camera and a hub report for a run that worked: both published and played, and frames
// sent and delivered, with `hub-1` receiving frames stamped as `camera`.
void deliver(const FleetSetup& setup, const std::string& camera, const std::string& owner) {
  const auto& hooks = setup.hooks;
  const Micros now = setup.clock.now();
  uint64_t id = 0;
  for (const auto& c : setup.scenario.fleet.cameras)
    hooks.on_operation({.id = ++id,
                        .process = c.name,
                        .type = OperationType::publish,
                        .camera = c.name,
                        .invoked_at = now,
                        .completed_at = now,
                        .completion = CompletionType::ok,
                        .status_code = 200});
  hooks.on_operation({.id = ++id,
                      .process = "hub-1",
                      .account = "user-1",
                      .type = OperationType::play,
                      .camera = "cam-1",
                      .invoked_at = now,
                      .completed_at = now,
                      .completion = CompletionType::ok,
                      .status_code = 200});
  for (uint64_t n = 1; n <= 5; ++n) {
    hooks.on_frame_sent({.camera = camera, .sent_at = now});
    Observation o;
    o.id = n;
    o.hub = "hub-1";
    o.account = "user-1";
    o.requested_camera = "cam-1";
    o.received_at = now;
    o.sei = SeiIdentity{.version = 1,
                        .camera = camera,
                        .owner = owner,
                        .sequence = n,
                        .capture_time = now,
                        .hmac_valid = true};
    o.pixel_camera = camera;
    hooks.on_observation(o, media::Picture{});
  }
}

class RunSessionTest : public ::testing::Test {
 protected:
  reports::RunRecord run(const scenario::Scenario& scenario, Fakes fakes) {
    RunSession session(scenario, RunOptions{}, progress_, interrupted_,
                       fake_parts(trace_, std::move(fakes)));
    return session.run().record;
  }
  static std::vector<std::string> failed_checks(const reports::RunRecord& r) {
    std::vector<std::string> out;
    for (const auto& c : r.results.checks)
      if (!c.passed) out.push_back(c.check);
    return out;
  }

  Trace trace_;
  Progress progress_{ProgressStyle::quiet, stdout};
  std::atomic<bool> interrupted_{false};
};

TEST_F(RunSessionTest, StepsRunInOrderAndTeardownReversesThem) {
  const auto record = run(two_homes(), {});
  EXPECT_EQ(trace_.steps(), (std::vector<std::string>{"sut.start", "admin.provision 2 accounts",
                                                      "fleet.start", "fleet.stop", "sut.stop"}));
  // The fleet's counters and conformance notes reach the record on the way down.
  ASSERT_EQ(record.fleet_counters.size(), 1u);
  EXPECT_EQ(record.fleet_counters[0].name, "fake_counter");
  ASSERT_EQ(record.conformance.size(), 1u);
  EXPECT_EQ(record.conformance[0].count, 2u);
  EXPECT_EQ(record.seed, 7u);
  EXPECT_EQ(record.scenario_name, "session-test");
}

// A run that saw nothing has proven nothing.
TEST_F(RunSessionTest, DevicesThatDeliverNothingFailTheRun) {
  const auto record = run(two_homes(), {});
  EXPECT_EQ(record.exit_code, 1);
  EXPECT_TRUE(record.harness_errors.empty());
  const auto failed = failed_checks(record);
  // A 1 s run is shorter than the first-frame bound, so time_to_first_frame cannot judge it;
  // these two do.
  for (const char* check : {"frames_judged", "cameras_published"})
    EXPECT_NE(std::find(failed.begin(), failed.end(), check), failed.end()) << check;
}

TEST_F(RunSessionTest, AFrameOfAnotherAccountsCameraIsALeak) {
  const auto record =
      run(two_homes(), {.fleet_start = [](const FleetSetup& s) { deliver(s, "cam-2", "user-2"); }});
  EXPECT_EQ(record.exit_code, 1);
  ASSERT_FALSE(record.evidence.empty());
  EXPECT_EQ(record.evidence[0].finding.verdict.kind, oracle::VerdictKind::leak);
  EXPECT_EQ(record.evidence[0].finding.verdict.camera, "cam-2");
  EXPECT_EQ(record.evidence[0].id, "0001-leak");
}

TEST_F(RunSessionTest, OwnFramesAreJudgedOk) {
  const auto record =
      run(two_homes(), {.fleet_start = [](const FleetSetup& s) { deliver(s, "cam-1", "user-1"); }});
  EXPECT_TRUE(record.evidence.empty());
  const auto failed = failed_checks(record);
  EXPECT_EQ(std::find(failed.begin(), failed.end(), "frames_judged"), failed.end());
  for (const auto& check : failed) EXPECT_EQ(check.find("leak"), std::string::npos) << check;
}

TEST_F(RunSessionTest, ASutThatDoesNotStartIsAHarnessErrorAndStillStopped) {
  const auto record =
      run(two_homes(), {.sut_start = [] { throw HarnessError("readiness probe timed out"); }});
  EXPECT_EQ(record.exit_code, 3);
  ASSERT_FALSE(record.harness_errors.empty());
  EXPECT_EQ(record.harness_errors[0], "readiness probe timed out");
  EXPECT_EQ(trace_.steps(), (std::vector<std::string>{"sut.start", "sut.stop"}));
}

TEST_F(RunSessionTest, BadInputWhileStartingIsRethrownAfterTeardown) {
  const auto scenario = two_homes();
  EXPECT_THROW(run(scenario, {.sut_start = [] { throw InputError("sut.rtsp_url: not a URL"); }}),
               InputError);
  EXPECT_EQ(trace_.steps(), (std::vector<std::string>{"sut.start", "sut.stop"}));
}

TEST_F(RunSessionTest, RefusedProvisioningIsAHarnessErrorAndNoDeviceStarts) {
  const auto record = run(two_homes(), {.refuse_provisioning = true});
  EXPECT_EQ(record.exit_code, 3);
  ASSERT_FALSE(record.harness_errors.empty());
  EXPECT_NE(record.harness_errors[0].find("503"), std::string::npos);
  EXPECT_FALSE(trace_.has("fleet.start"));
  EXPECT_TRUE(trace_.has("sut.stop"));
}

// A refused share leaves the SUT's entitlements unlike the ground truth: a failed check.
TEST_F(RunSessionTest, ARefusedShareFailsAdminCallsAccepted) {
  const auto record = run(two_homes("shares:\n  - {camera: cam-1, with: user-2, from: 200ms}\n"),
                          {.refuse_shares = true});
  EXPECT_TRUE(trace_.has("admin.share cam-1 user-2"));
  EXPECT_FALSE(trace_.has("fleet.share_granted cam-1 user-2"));
  const auto failed = failed_checks(record);
  EXPECT_NE(std::find(failed.begin(), failed.end(), "admin_calls_accepted"), failed.end());
  ASSERT_EQ(record.sut_calls.size(), 1u);
  EXPECT_FALSE(record.sut_calls[0].accepted);
}

TEST_F(RunSessionTest, AnInterruptedRunIsAHarnessError) {
  interrupted_ = true;
  const auto record = run(two_homes(), {});
  EXPECT_EQ(record.exit_code, 3);
  const bool named =
      std::any_of(record.harness_errors.begin(), record.harness_errors.end(),
                  [](const std::string& e) { return e.starts_with("interrupted at"); });
  EXPECT_TRUE(named);
  EXPECT_TRUE(trace_.has("sut.stop"));
}

// Each step can be driven on its own; teardown after a partial run stops what was started.
TEST_F(RunSessionTest, StepsCanBeDrivenOneByOne) {
  const auto scenario = two_homes();
  {
    RunSession session(scenario, RunOptions{}, progress_, interrupted_, fake_parts(trace_, {}));
    session.start_sut();
    session.provision();
    session.build_links();
    session.build_fleet();
    EXPECT_EQ(trace_.steps(),
              (std::vector<std::string>{"sut.start", "admin.provision 2 accounts"}));
  }  // destroyed without playing: torn down
  EXPECT_EQ(trace_.steps().back(), "sut.stop");
  EXPECT_TRUE(trace_.has("fleet.stop"));
}

}  // namespace
}  // namespace camleak::runner
