#pragma once
// Provisions the SUT through its admin API (DESIGN.md, SUT contract): accounts with tokens,
// cameras with owner and secret, and shares, at the start and as the timeline grants and
// revokes them.
#include <string>

#include "harness/runner/credentials.hpp"
#include "harness/runner/http_client.hpp"
#include "harness/scenario/scenario.hpp"

namespace camleak::runner {

class Provisioner {
 public:
  explicit Provisioner(HttpUrl admin) : admin_(std::move(admin)) {}

  // Every account and camera, and the shares that hold at time 0. Throws HarnessError naming
  // the request that the SUT refused.
  void provision(const scenario::Scenario& scenario, const Credentials& credentials);
  void share(const std::string& camera, const std::string& account);
  void revoke(const std::string& camera, const std::string& account);

 private:
  void put(const std::string& target, const std::string& body);
  void send(const std::string& method, const std::string& target, const std::string& body);

  HttpUrl admin_;
};

}  // namespace camleak::runner
