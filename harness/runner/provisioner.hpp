#pragma once
// Provisions the SUT through its admin API (DESIGN.md, SUT contract): accounts with tokens,
// cameras with owner and secret, and shares, at the start and as the timeline grants and
// revokes them. Requests go over a few keep-alive connections (not one TCP connect each), so a
// SUT that commits changes in groups can batch them.
#include <atomic>
#include <string>
#include <vector>

#include "harness/runner/credentials.hpp"
#include "harness/runner/http_client.hpp"
#include "harness/runner/sut_admin.hpp"
#include "harness/scenario/scenario.hpp"

namespace camleak::runner {

class Provisioner final : public SutAdmin {
 public:
  // Requests in flight at once while provisioning the fleet. A SUT that answers each change once
  // it is durable flushes at most this many changes together (the reference relay about half:
  // the rest are on their way back), so this, not the HTTP round trip, sets the pace: 16 made
  // 10,000 accounts take seconds where 4 took tens of seconds (tools/bench/relay
  // provision_bench), and is still far from a flood.
  static constexpr size_t kConnections = 16;

  // `interrupted` (may be null; set from a signal handler) is checked between requests and
  // every 50 ms during one; once set, the call in progress throws HarnessError("interrupted
  // while provisioning ..."). Each request must be answered within `timeout`. `tls`: the client
  // context for an https:// admin URL (HttpClientOptions::tls).
  explicit Provisioner(HttpUrl admin, const std::atomic<bool>* interrupted = nullptr,
                       Micros timeout = std::chrono::seconds(5),
                       std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

  // Every account, then every camera, then the shares that hold at time 0. Throws HarnessError
  // naming the request that the SUT refused.
  void provision(const scenario::Scenario& scenario, const Credentials& credentials) override;
  void share(const std::string& camera, const std::string& account) override;
  void revoke(const std::string& camera, const std::string& account) override;

 private:
  // Sends `calls` (independent of each other) and checks every answer; `what` names them in
  // errors.
  void send_all(const std::string& what, const std::vector<HttpCall>& calls);

  HttpClient client_;
};

}  // namespace camleak::runner
