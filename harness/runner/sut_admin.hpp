#pragma once
// The SUT's provisioning side as a run uses it: accounts, cameras and the shares that hold at
// the start, then each share and revoke of the timeline. The contract's admin API is one
// implementation (Provisioner); a vendor adapter is another; tests hand in fakes.
#include <string>
#include <vector>

#include "harness/runner/credentials.hpp"
#include "harness/scenario/scenario.hpp"

namespace camleak::runner {

class SutAdmin {
 public:
  virtual ~SutAdmin() = default;
  // Every account, then every camera, then the shares that hold at time 0. Throws HarnessError
  // naming what the SUT refused.
  virtual void provision(const scenario::Scenario& scenario, const Credentials& credentials) = 0;
  // Throw HarnessError when the SUT refuses or does not answer.
  virtual void share(const std::string& camera, const std::string& account) = 0;
  virtual void revoke(const std::string& camera, const std::string& account) = 0;
  // Deletes what provision() created, where the SUT can; returns what went wrong, for the
  // report's notes (the verdict is made by then). Never throws.
  virtual std::vector<std::string> clean_up() noexcept { return {}; }
};

}  // namespace camleak::runner
