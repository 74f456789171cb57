// The harness's Provisioner on loopback: an interruption flag set mid-provisioning stops it
// before the fleet is done (also while the SUT holds a request unanswered), requests reuse a
// few keep-alive connections, a connection the SUT closed is replaced, and against the
// reference relay a share after a relay restart still goes through.
#include "harness/runner/provisioner.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "emulators/relay/relay.hpp"
#include "harness/core/errors.hpp"
#include "harness/runner/credentials.hpp"
#include "harness/scenario/adapter_loader.hpp"
#include "harness/scenario/loader.hpp"
#include "tests/integration/relay/relay_test_support.hpp"

namespace camleak::runner {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

// What the stand-in admin API does with request number n (1-based, counted over all
// connections).
enum class Reply { answer, answer_then_close, hold, refuse };

// An admin API stand-in on 127.0.0.1 (port 0) with a thread of its own: reads HTTP requests on
// keep-alive connections, counts them and the connections, and replies as `policy` says.
class FakeAdmin {
 public:
  explicit FakeAdmin(std::function<Reply(size_t)> policy)
      : policy_(std::move(policy)), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~FakeAdmin() {
    // Connections, held ones too, close as the io_context and the sessions are destroyed.
    io_.stop();
    thread_.join();
  }

  HttpUrl url() const { return HttpUrl{"127.0.0.1", acceptor_.local_endpoint().port(), ""}; }
  size_t requests() const { return requests_.load(); }
  size_t connections() const { return connections_.load(); }

 private:
  struct Session {
    explicit Session(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      ++connections_;
      auto session = std::make_shared<Session>(std::move(socket));
      read(session);
      accept();
    });
  }

  void read(const std::shared_ptr<Session>& s) {
    s->request = {};
    http::async_read(s->stream, s->buffer, s->request, [this, s](beast::error_code ec, size_t) {
      if (ec) return;
      const Reply reply = policy_(++requests_);
      if (reply == Reply::hold) {
        held_.push_back(s);  // never answered; closed with the server
        return;
      }
      s->response = {
          reply == Reply::refuse ? http::status::internal_server_error : http::status::ok, 11};
      s->response.keep_alive(
          true);  // even when about to close: as a server whose idle timeout hits
      s->response.body() = "{}";
      s->response.prepare_payload();
      http::async_write(s->stream, s->response, [this, s, reply](beast::error_code wec, size_t) {
        if (wec) return;
        if (reply == Reply::answer_then_close) {
          beast::error_code ignored;
          s->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
          s->stream.close();
          return;
        }
        read(s);
      });
    });
  }

  std::function<Reply(size_t)> policy_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<size_t> requests_{0};
  std::atomic<size_t> connections_{0};
  std::vector<std::shared_ptr<Session>> held_;  // server thread only
};

scenario::Scenario fleet(int accounts) {
  return scenario::load_scenario_text(
      "name: p\nduration: 10s\nfleet:\n  accounts: " + std::to_string(accounts) +
          "\n  cameras_per_account: 1\n  hubs_per_account: 0\n",
      "p.yaml");
}

std::string error_of(Provisioner& provisioner, const scenario::Scenario& s) {
  try {
    provisioner.provision(s, make_credentials(s.fleet));
  } catch (const HarnessError& e) {
    return e.what();
  }
  return "";
}

TEST(Provisioner, AnInterruptionMidProvisioningStopsItBeforeTheFleetIsDone) {
  std::atomic<bool> interrupted{false};
  // Ctrl-C arrives while the SUT handles the 100th request.
  FakeAdmin admin([&](size_t n) {
    if (n == 100) interrupted.store(true);
    return Reply::answer;
  });
  const auto s = fleet(2000);  // 2,000 accounts, then 2,000 cameras
  Provisioner provisioner(admin.url(), &interrupted);
  const std::string error = error_of(provisioner, s);
  EXPECT_NE(error.find("interrupted while provisioning accounts"), std::string::npos) << error;
  EXPECT_GE(admin.requests(), 100u);
  EXPECT_LT(admin.requests(), 2000u) << "went on provisioning after the interruption";
}

TEST(Provisioner, AnInterruptionAbandonsRequestsTheSutNeverAnswers) {
  std::atomic<bool> interrupted{false};
  // From the 50th request on the SUT hangs; Ctrl-C comes once every connection waits on such
  // a request, so no answer comes back to check the flag between requests. The request timeout
  // is far beyond the test's own, so only the interruption can end provision().
  FakeAdmin admin([&](size_t n) {
    if (n < 50) return Reply::answer;
    if (n == 49 + Provisioner::kConnections) interrupted.store(true);
    return Reply::hold;
  });
  const auto s = fleet(500);
  Provisioner provisioner(admin.url(), &interrupted, std::chrono::hours(1));
  const std::string error = error_of(provisioner, s);
  EXPECT_NE(error.find("interrupted while provisioning accounts"), std::string::npos) << error;
  EXPECT_LT(admin.requests(), 1000u);
}

TEST(Provisioner, AFlagSetBeforehandSendsNothing) {
  std::atomic<bool> interrupted{true};
  FakeAdmin admin([](size_t) { return Reply::answer; });
  Provisioner provisioner(admin.url(), &interrupted);
  EXPECT_NE(error_of(provisioner, fleet(10)).find("interrupted"), std::string::npos);
  EXPECT_EQ(admin.requests(), 0u);
}

TEST(Provisioner, ReusesAFewKeepAliveConnections) {
  FakeAdmin admin([](size_t) { return Reply::answer; });
  const auto s = fleet(500);
  Provisioner provisioner(admin.url());
  EXPECT_EQ(error_of(provisioner, s), "");
  EXPECT_EQ(admin.requests(), 1000u);
  EXPECT_LE(admin.connections(), Provisioner::kConnections);
  provisioner.share("cam-1", "user-2");
  provisioner.revoke("cam-1", "user-2");
  EXPECT_EQ(admin.requests(), 1002u);
  EXPECT_LE(admin.connections(), Provisioner::kConnections);
}

TEST(Provisioner, ResendsOnANewConnectionWhenTheSutClosedAKeptAliveOne) {
  // Every connection is closed right after its first answer, as an idle timeout or a restart
  // of the SUT would: each later request finds its kept-alive connection dead.
  FakeAdmin admin([](size_t) { return Reply::answer_then_close; });
  const auto s = fleet(40);
  Provisioner provisioner(admin.url());
  EXPECT_EQ(error_of(provisioner, s), "");
  EXPECT_EQ(admin.requests(), 80u);
}

TEST(Provisioner, ARefusalNamesTheRequest) {
  FakeAdmin admin([](size_t n) { return n == 7 ? Reply::refuse : Reply::answer; });
  Provisioner provisioner(admin.url());
  const std::string error = error_of(provisioner, fleet(20));
  EXPECT_NE(error.find("the SUT refused PUT http://"), std::string::npos) << error;
  EXPECT_NE(error.find("/admin/accounts/user-"), std::string::npos) << error;
  EXPECT_NE(error.find("status 500"), std::string::npos) << error;
}

TEST(Provisioner, ProvisionsTheReferenceRelayAndSharesAfterItRestarts) {
  relay::testing::TempDir dir;
  relay::RelayConfig config;
  config.state_file = (dir.path() / "relay-state.json").string();
  relay::Relay relay(config);
  relay.start();
  const auto s = fleet(300);
  Provisioner provisioner(HttpUrl{"127.0.0.1", relay.ports().admin, ""});
  EXPECT_EQ(error_of(provisioner, s), "");
  relay.restart();  // closes the provisioner's kept-alive connections
  provisioner.share("cam-1", "user-2");
  const auto res = relay::testing::http_call(relay.ports().admin, "GET", "/admin/stats");
  const auto stats = boost::json::parse(res.body).as_object();
  EXPECT_EQ(stats.at("provisioning").at("accounts").to_number<int>(), 300);
  EXPECT_EQ(stats.at("provisioning").at("cameras").to_number<int>(), 300);
  EXPECT_EQ(stats.at("provisioning").at("shares").to_number<int>(), 1);
}

// An adapter of command lines: each action runs once per entity with its values as single shell
// words, and clean-up deletes what was created (cameras before accounts), after Ctrl-C too.
TEST(Provisioner, CommandActionsProvisionAndCleanUp) {
  const std::string log =
      (std::filesystem::temp_directory_path() / ("camleak-commands-" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove(log);
  const scenario::Adapter adapter = scenario::load_adapter_text(
      "adapter: shell\nprovisioning:\n"
      "  create_account: {command: \"echo add-user {account} >> " +
          log +
          "\"}\n"
          "  create_camera: {command: \"echo add-cam {camera} of {owner} >> " +
          log +
          "\"}\n"
          "  delete_camera: {command: \"echo del-cam {camera} >> " +
          log +
          "\"}\n"
          "  delete_account: {command: \"echo del-user {account} >> " +
          log +
          "\"}\n"
          "publish: {url: \"rtsp://{host}:{rtsp_port}/{camera}\"}\n"
          "play: {url: \"rtsp://{host}:{rtsp_port}/{camera}\"}\nsnapshot: absent\n",
      "shell.yaml", [](const std::string&) { return std::nullopt; });
  SutEndpoints endpoints;
  endpoints.rtsp_host = "127.0.0.1";
  endpoints.rtsp_port = 1;
  std::atomic<bool> interrupted{false};
  Provisioner provisioner(adapter, TemplateValues(adapter, endpoints, "r1"), &interrupted);
  const auto s = fleet(2);
  provisioner.provision(s, make_credentials(s.fleet));
  interrupted.store(true);  // Ctrl-C: clean-up still runs
  EXPECT_TRUE(provisioner.clean_up().empty());
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  std::filesystem::remove(log);
  EXPECT_EQ(text,
            "add-user user-1\nadd-user user-2\nadd-cam cam-1 of user-1\nadd-cam cam-2 of user-2\n"
            "del-cam cam-1\ndel-cam cam-2\ndel-user user-1\ndel-user user-2\n");
}

}  // namespace
}  // namespace camleak::runner
