// The Toxiproxy-compatible control API over real HTTP on loopback (API on port 0): routes,
// JSON shapes, status codes and error bodies, and that what it configures really happens.
#include "harness/proxy/control_api.hpp"

#include <gtest/gtest.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <future>

#include "harness/proxy/proxy_thread.hpp"
#include "tests/integration/proxy/loopback.hpp"
#include "tests/support/loopback_http.hpp"

namespace camleak::proxy {
namespace {

using namespace testing;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

struct Reply {
  int status = 0;
  json::value body;
};

class ControlApiTest : public ::testing::Test {
 protected:
  ControlApiTest() : runner_(clock_, &events_) {
    // The API lives on the proxy's io_context: create it there.
    std::promise<void> made;
    asio::post(runner_.io(), [&] {
      api_ = std::make_unique<ControlApi>(runner_.proxy(), "127.0.0.1:0", "test");
      made.set_value();
    });
    made.get_future().get();
  }
  ~ControlApiTest() override {
    std::promise<void> gone;
    asio::post(runner_.io(), [&] {
      api_.reset();
      gone.set_value();
    });
    gone.get_future().get();
  }

  Reply call(http::verb method, const std::string& target, const std::string& body = "",
             const std::string& agent = "toxiproxy-cli") {
    const loopback::HttpReply reply = loopback::http_request(
        std::string(http::to_string(method)), api_->port(), target, body, {.user_agent = agent});
    EXPECT_NE(reply.status, 0) << "no answer to " << target;
    Reply r{reply.status, nullptr};
    if (!reply.body.empty()) r.body = json::parse(reply.body);
    return r;
  }
  std::string error_of(const Reply& r) {
    return std::string(r.body.at("error").as_string()) + "|" +
           std::to_string(r.body.at("status").as_int64());
  }
  Reply create(const std::string& name, uint16_t upstream) {
    return call(http::verb::post, "/proxies",
                R"({"name":")" + name + R"(","listen":"127.0.0.1:0","upstream":"127.0.0.1:)" +
                    std::to_string(upstream) + R"("})");
  }
  static uint16_t port_of(const json::value& proxy) {
    const std::string listen(proxy.at("listen").as_string());
    return static_cast<uint16_t>(std::stoi(listen.substr(listen.rfind(':') + 1)));
  }

  SteadyClock clock_;
  EventLog events_;
  ProxyThread runner_;
  std::unique_ptr<ControlApi> api_;
};

TEST_F(ControlApiTest, VersionAndUnknownRoutes) {
  const auto v = call(http::verb::get, "/version");
  EXPECT_EQ(v.status, 200);
  EXPECT_EQ(v.body.at("version").as_string(), "test");
  EXPECT_EQ(call(http::verb::get, "/nope").status, 404);
  EXPECT_EQ(call(http::verb::put, "/proxies").status, 405);
}

// A body past the 1 MiB limit is answered 413 with Toxiproxy's error body, after the client sent
// all of it (the server reads and drops the rest instead of resetting the connection), and the
// API goes on serving.
TEST_F(ControlApiTest, OversizedBodyIsAnswered413) {
  const auto r = call(http::verb::post, "/proxies", std::string(10 << 20, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(error_of(r), "request body too large: at most 1048576 bytes|413");
  EXPECT_EQ(call(http::verb::get, "/version").status, 200);
}

TEST_F(ControlApiTest, BrowsersAreRefused) {
  EXPECT_EQ(call(http::verb::get, "/proxies", "", "Mozilla/5.0").status, 403);
}

TEST_F(ControlApiTest, ProxyLifecycleWithToxiproxyStatusCodes) {
  TcpServer server;
  const auto created = create("db", server.port());
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.body.at("name").as_string(), "db");
  EXPECT_EQ(created.body.at("enabled").as_bool(), true);
  EXPECT_TRUE(created.body.at("toxics").as_array().empty());
  EXPECT_NE(port_of(created.body), 0);

  EXPECT_EQ(error_of(create("db", server.port())), "proxy already exists|409");
  EXPECT_EQ(error_of(call(http::verb::post, "/proxies", R"({"name":"x"})")),
            "missing required field: upstream|400");
  EXPECT_EQ(error_of(call(http::verb::post, "/proxies", R"({"upstream":"127.0.0.1:1"})")),
            "missing required field: name|400");
  EXPECT_EQ(call(http::verb::post, "/proxies", "{not json").status, 400);
  EXPECT_EQ(error_of(call(http::verb::get, "/proxies/missing")), "proxy not found|404");

  const auto index = call(http::verb::get, "/proxies");
  ASSERT_EQ(index.status, 200);
  EXPECT_TRUE(index.body.as_object().contains("db"));

  // Traffic flows through what the API made.
  TcpClient client(port_of(created.body));
  client.write("hi");
  EXPECT_EQ(client.read(2), "hi");

  const auto disabled = call(http::verb::patch, "/proxies/db", R"({"enabled":false})");
  EXPECT_EQ(disabled.status, 200);
  EXPECT_EQ(disabled.body.at("enabled").as_bool(), false);
  const auto ec = client.wait_closed();
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_EQ(call(http::verb::post, "/proxies/db", R"({"enabled":true})").body.at("enabled"), true);

  EXPECT_EQ(call(http::verb::delete_, "/proxies/db").status, 204);
  EXPECT_EQ(call(http::verb::get, "/proxies/db").status, 404);
}

TEST_F(ControlApiTest, ToxicLifecycle) {
  TcpServer server;
  const auto proxy = create("cam", server.port());
  const auto added = call(http::verb::post, "/proxies/cam/toxics",
                          R"({"type":"latency","attributes":{"latency":120}})");
  ASSERT_EQ(added.status, 200);
  EXPECT_EQ(added.body.at("name").as_string(), "latency_downstream");
  EXPECT_EQ(added.body.at("stream").as_string(), "downstream");
  EXPECT_EQ(added.body.at("toxicity").as_int64(), 1);  // printed `1` as Toxiproxy, never `1E0`
  EXPECT_EQ(added.body.at("attributes").at("latency").as_int64(), 120);
  EXPECT_EQ(added.body.at("attributes").at("jitter").as_int64(), 0);  // default filled in

  EXPECT_EQ(error_of(call(http::verb::post, "/proxies/cam/toxics",
                          R"({"type":"latency","attributes":{"latency":1}})")),
            "toxic already exists|409");
  const auto bad_attr = call(http::verb::post, "/proxies/cam/toxics",
                             R"({"type":"latency","name":"l2","attributes":{"latnecy":1}})");
  EXPECT_EQ(bad_attr.status, 400);
  EXPECT_NE(std::string(bad_attr.body.at("error").as_string()).find("latnecy"), std::string::npos);
  EXPECT_EQ(error_of(call(http::verb::post, "/proxies/cam/toxics",
                          R"({"type":"latency","stream":"sideways"})")),
            "stream was invalid, can be either upstream or downstream|400");
  EXPECT_EQ(call(http::verb::post, "/proxies/cam/toxics", R"({"type":"teleport"})").status, 400);
  EXPECT_EQ(call(http::verb::post, "/proxies/ghost/toxics", R"({"type":"latency"})").status, 404);

  // The toxic really acts.
  TcpClient client(port_of(proxy.body));
  auto start = std::chrono::steady_clock::now();
  client.write("a");
  EXPECT_EQ(client.read(1), "a");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 120ms);

  const auto updated = call(http::verb::patch, "/proxies/cam/toxics/latency_downstream",
                            R"({"attributes":{"jitter":5},"toxicity":0.5})");
  ASSERT_EQ(updated.status, 200);
  EXPECT_EQ(updated.body.at("attributes").at("latency").as_int64(), 120);  // kept
  EXPECT_EQ(updated.body.at("attributes").at("jitter").as_int64(), 5);
  EXPECT_EQ(updated.body.at("toxicity").to_number<double>(), 0.5);

  const auto extension =
      call(http::verb::post, "/proxies/cam/toxics",
           R"({"type":"bandwidth","stream":"upstream","attributes":{"rate":"2Mbps"},)"
           R"("targeting":{"mode":"first_n","n":2},"window":{"start":"1s","stop":2500}})");
  ASSERT_EQ(extension.status, 200);
  EXPECT_EQ(extension.body.at("attributes").at("rate").as_int64(), 250);  // 2 Mbit/s in KB/s
  EXPECT_EQ(extension.body.at("targeting").at("mode").as_string(), "first_n");
  EXPECT_EQ(extension.body.at("window").at("start").as_int64(), 1000);
  EXPECT_EQ(extension.body.at("window").at("stop").as_int64(), 2500);

  const auto list = call(http::verb::get, "/proxies/cam/toxics");
  EXPECT_EQ(list.body.as_array().size(), 2u);
  EXPECT_EQ(call(http::verb::get, "/proxies/cam/toxics/latency_downstream").status, 200);
  EXPECT_EQ(call(http::verb::delete_, "/proxies/cam/toxics/latency_downstream").status, 204);
  EXPECT_EQ(error_of(call(http::verb::get, "/proxies/cam/toxics/latency_downstream")),
            "toxic not found|404");
  EXPECT_EQ(call(http::verb::delete_, "/proxies/cam/toxics/latency_downstream").status, 404);

  start = std::chrono::steady_clock::now();
  client.write("b");
  EXPECT_EQ(client.read(1), "b");
}

TEST_F(ControlApiTest, PopulateAndReset) {
  TcpServer server;
  const std::string up = "127.0.0.1:" + std::to_string(server.port());
  const auto populated =
      call(http::verb::post, "/populate",
           R"([{"name":"a","upstream":")" + up + R"("},{"name":"b","upstream":")" + up +
               R"(","enabled":false},{"name":"u","upstream":")" + up + R"(","protocol":"udp"}])");
  ASSERT_EQ(populated.status, 201);
  ASSERT_EQ(populated.body.at("proxies").as_array().size(), 3u);
  EXPECT_EQ(populated.body.at("proxies").as_array()[1].at("enabled").as_bool(), false);
  EXPECT_EQ(populated.body.at("proxies").as_array()[2].at("protocol").as_string(), "udp");
  EXPECT_EQ(call(http::verb::post, "/populate", R"([{"name":"c"}])").status, 400);
  EXPECT_EQ(call(http::verb::get, "/proxies/c").status, 404);  // nothing applied

  call(http::verb::post, "/proxies/a/toxics", R"({"type":"latency"})");
  call(http::verb::post, "/proxies/u/toxics", R"({"type":"loss","stream":"upstream"})");
  EXPECT_EQ(call(http::verb::post, "/reset").status, 204);
  const auto index = call(http::verb::get, "/proxies");
  for (const auto& [name, proxy] : index.body.as_object()) {
    EXPECT_TRUE(proxy.at("enabled").as_bool()) << name;
    EXPECT_TRUE(proxy.at("toxics").as_array().empty()) << name;
  }
}

TEST_F(ControlApiTest, StatsEventsAndConnectionReset) {
  TcpServer server;
  const auto proxy = create("s", server.port());
  call(http::verb::post, "/proxies/s/toxics", R"({"type":"latency","attributes":{"latency":1}})");
  TcpClient client(port_of(proxy.body));
  client.write("abc");
  EXPECT_EQ(client.read(3), "abc");
  const auto stats = call(http::verb::get, "/proxies/s/stats");
  ASSERT_EQ(stats.status, 200);
  EXPECT_EQ(stats.body.at("connections_total").as_int64(), 1);
  EXPECT_EQ(stats.body.at("upstream").at("bytes_out").as_int64(), 3);
  EXPECT_GE(stats.body.at("downstream").at("delay_us").at("max").as_int64(), 1000);

  const auto reset = call(http::verb::post, "/proxies/s/reset", R"({"connections":[0]})");
  EXPECT_EQ(reset.body.at("reset").as_int64(), 1);
  EXPECT_EQ(client.wait_closed(), asio::error::connection_reset);

  const auto events = call(http::verb::get, "/events?since=0");
  ASSERT_EQ(events.status, 200);
  EXPECT_FALSE(events.body.at("events").as_array().empty());
  const auto next = events.body.at("next").as_int64();
  EXPECT_TRUE(call(http::verb::get, "/events?since=" + std::to_string(next))
                  .body.at("events")
                  .as_array()
                  .empty());
  EXPECT_EQ(call(http::verb::get, "/events?since=x").status, 400);
}

}  // namespace
}  // namespace camleak::proxy
