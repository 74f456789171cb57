#pragma once
// Provisions the SUT the way its adapter says (scenario/adapter.hpp): accounts with tokens,
// cameras with owner and secret, and shares, at the start and as the timeline grants and
// revokes them, then deletes what it created at the end where the adapter can. The SUT
// contract's admin API is the contract adapter. HTTP actions go over a few keep-alive
// connections per server (not one TCP connect each), so a SUT that commits changes in groups
// can batch them; command actions run one after another.
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/runner/adapter_requests.hpp"
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
  // while provisioning ..."). Each HTTP request must be answered within `timeout`. `tls`: the
  // client context for https:// requests (HttpClientOptions::tls); none: http:// only.
  Provisioner(scenario::Adapter adapter, TemplateValues values,
              const std::atomic<bool>* interrupted = nullptr,
              Micros timeout = std::chrono::seconds(5),
              std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  // The contract adapter against the admin API at `admin`.
  explicit Provisioner(HttpUrl admin, const std::atomic<bool>* interrupted = nullptr,
                       Micros timeout = std::chrono::seconds(5),
                       std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~Provisioner() override;

  // Every account, then every camera, then the shares that hold at time 0. Throws HarnessError
  // naming the request that the SUT refused.
  void provision(const scenario::Scenario& scenario, const Credentials& credentials) override;
  void share(const std::string& camera, const std::string& account) override;
  void revoke(const std::string& camera, const std::string& account) override;
  std::vector<std::string> clean_up() noexcept override;

 private:
  struct Call {
    const scenario::AdminAction* action;
    TemplateValues values;
    std::string field;  // "provisioning.create_account", for errors
  };
  // Runs `calls` (independent of each other) and checks every answer; `what` names them in
  // errors.
  void run_all(const std::string& what, const std::vector<Call>& calls);
  void run_http(const std::string& what, const std::vector<Call>& calls);
  void run_command(const std::string& what, const Call& call);
  HttpClient& client_for(const UrlParts& url);
  TemplateValues share_values(const std::string& camera, const std::string& account) const;

  scenario::Adapter adapter_;
  TemplateValues values_;
  const std::atomic<bool>* interrupted_;
  Micros timeout_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::map<std::string, std::unique_ptr<HttpClient>> clients_;  // by scheme://host:port
  Credentials credentials_;
  std::map<std::string, std::string> owners_;  // camera -> owner
  std::vector<std::string> created_cameras_, created_accounts_;
};

}  // namespace camleak::runner
