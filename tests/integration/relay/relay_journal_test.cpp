// The relay's persistence through its admin API: every acknowledged change is in the state
// journal at the moment it is acknowledged (a copy of the files taken then, as a crash would
// leave them, restores it, torn last line and all), concurrent changes share journal writes
// (group commit) without losing any, and a change that could not be written is never
// acknowledged.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "emulators/relay/relay.hpp"
#include "harness/runner/http_client.hpp"
#include "tests/integration/relay/relay_test_support.hpp"

namespace camleak::relay {
namespace {

using testing::http_call;
using testing::TempDir;

boost::json::object stats_of(uint16_t admin_port) {
  const auto res = http_call(admin_port, "GET", "/admin/stats");
  EXPECT_EQ(res.status, 200);
  return boost::json::parse(res.body).as_object();
}

int provisioned(const boost::json::object& stats, const char* what) {
  return stats.at("provisioning").at(what).to_number<int>();
}

// PUTs `accounts` accounts with a camera each and shares cam-1 with user-2, over 8 concurrent
// keep-alive connections; every answer must be 200.
void provision(uint16_t admin_port, int accounts) {
  runner::HttpClient client(runner::HttpUrl{"127.0.0.1", admin_port, ""},
                            runner::HttpClientOptions{.connections = 8});
  std::vector<runner::HttpCall> calls;
  for (int i = 1; i <= accounts; ++i) {
    calls.push_back({"PUT", "/admin/accounts/user-" + std::to_string(i),
                     R"({"token":"tok-)" + std::to_string(i) + R"("})"});
  }
  const auto all_ok = [](const runner::HttpCall& call, const runner::HttpResponse& r) {
    ASSERT_EQ(r.status, 200) << call.target << ": " << r.body;
  };
  client.request_all(calls, all_ok);
  calls.clear();
  for (int i = 1; i <= accounts; ++i) {
    calls.push_back({"PUT", "/admin/cameras/cam-" + std::to_string(i),
                     R"({"owner":"user-)" + std::to_string(i) + R"(","secret":"s"})"});
  }
  client.request_all(calls, all_ok);
  client.request_all({{"PUT", "/admin/cameras/cam-1/shares/user-2", "{}"}}, all_ok);
}

TEST(RelayJournal, AcknowledgedChangesAreDurableAtOnceAndATornTailIsIgnored) {
  TempDir dir;
  RelayConfig config;
  config.state_file = (dir.path() / "relay-state.json").string();
  Relay relay(config);
  relay.start();
  constexpr int kAccounts = 400;
  provision(relay.ports().admin, kAccounts);
  const RelayCounters counters = relay.counters();
  EXPECT_EQ(counters.admin_changes, 2u * kAccounts + 1);
  EXPECT_EQ(counters.state_write_errors, 0u);

  // The files as a crash right now would leave them (the relay keeps running: nothing is
  // flushed on the way out), plus the first half of a change whose write was cut.
  TempDir crash;
  const auto image = crash.path() / "relay-state.json";
  std::filesystem::copy_file(config.state_file, image);
  std::filesystem::copy_file(config.state_file + ".journal", image.string() + ".journal");
  std::ofstream(image.string() + ".journal", std::ios::binary | std::ios::app)
      << R"({"seq":99999,"op":"account","account":"torn","tok)";

  RelayConfig restarted;
  restarted.state_file = image.string();
  Relay second(restarted);
  second.start();
  const auto stats = stats_of(second.ports().admin);
  EXPECT_EQ(provisioned(stats, "accounts"), kAccounts);
  EXPECT_EQ(provisioned(stats, "cameras"), kAccounts);
  EXPECT_EQ(provisioned(stats, "shares"), 1);
  // And it keeps journaling after the discarded tail.
  EXPECT_EQ(
      http_call(second.ports().admin, "PUT", "/admin/accounts/late", R"({"token":"t"})").status,
      200);
  second.restart();
  EXPECT_EQ(provisioned(stats_of(second.ports().admin), "accounts"), kAccounts + 1);
}

TEST(RelayJournal, ARestartAfterManyChangesKeepsThemAll) {
  TempDir dir;
  RelayConfig config;
  config.state_file = (dir.path() / "relay-state.json").string();
  Relay relay(config);
  relay.start();
  provision(relay.ports().admin, 300);
  relay.restart();
  auto stats = stats_of(relay.ports().admin);
  EXPECT_EQ(provisioned(stats, "accounts"), 300);
  EXPECT_EQ(provisioned(stats, "cameras"), 300);
  EXPECT_EQ(provisioned(stats, "shares"), 1);
  // The restart folded the journal into the snapshot; the journal starts empty again.
  EXPECT_EQ(std::filesystem::file_size(config.state_file + ".journal"), 0u);
  EXPECT_EQ(http_call(relay.ports().admin, "DELETE", "/admin/cameras/cam-1/shares/user-2").status,
            200);
  relay.stop();
  Relay again(config);
  again.start();
  stats = stats_of(again.ports().admin);
  EXPECT_EQ(provisioned(stats, "accounts"), 300);
  EXPECT_EQ(provisioned(stats, "shares"), 0);
}

// RLIMIT_FSIZE for the scope: writes past `bytes` fail with EFBIG (SIGXFSZ ignored).
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_);
  }

 private:
  rlimit saved_{};
  void (*previous_)(int) = nullptr;
};

// 404 (unknown camera) when `token` is a valid token, 401 otherwise.
int snapshot_status(uint16_t http_port, const std::string& token) {
  return http_call(http_port, "GET", "/cameras/none/snapshot", {}, "Bearer " + token).status;
}

TEST(RelayJournal, AChangeThatCannotBeWrittenIsAnswered500AndASnapshotRecovers) {
  TempDir dir;
  RelayConfig config;
  config.state_file = (dir.path() / "relay-state.json").string();
  Relay relay(config);
  relay.start();
  const uint16_t admin = relay.ports().admin;
  const std::string padding(200, 'x');
  {
    // The journal grows by a line per change; the snapshot holds one account whatever its
    // token, so after the failed append a snapshot fits where the journal did not.
    FileSizeLimit limit(8 * 1024);
    testing::HttpResult refused;
    int i = 0;
    for (; i < 1000 && refused.status != 500; ++i) {
      const auto res = http_call(admin, "PUT", "/admin/accounts/alice",
                                 R"({"token":"tok-)" + std::to_string(i) + padding + R"("})");
      if (res.status != 200) refused = res;
    }
    ASSERT_EQ(refused.status, 500) << refused.body;
    EXPECT_NE(refused.body.find("not persisted"), std::string::npos) << refused.body;
    EXPECT_GE(relay.counters().state_write_errors, 1u);
    // The next change finds the journal unusable and writes a snapshot of the whole state.
    ASSERT_EQ(http_call(admin, "PUT", "/admin/accounts/alice", R"({"token":"final"})").status, 200);
    EXPECT_GE(relay.counters().state_compactions, 1u);
  }
  relay.restart();
  EXPECT_EQ(snapshot_status(relay.ports().http, "final"), 404);
  EXPECT_EQ(snapshot_status(relay.ports().http, "tok-0" + padding), 401);
}

}  // namespace
}  // namespace camleak::relay
