#pragma once
// The reference relay in-process, as the default SUT, with the scenario's defect switches.
#include <memory>
#include <string>

#include "harness/runner/sut_driver.hpp"
#include "harness/scenario/scenario.hpp"

namespace camleak::relay {
class Relay;
}

namespace camleak::runner {

class BuiltinSutDriver final : public SutDriver {
 public:
  // `state_dir`: where the relay keeps its state file, so provisioning survives a restart.
  // `relay`: how the adapter the run uses wants the relay started (its layout and admin key).
  BuiltinSutDriver(const scenario::BuiltinSut& config, const std::string& state_dir,
                   const scenario::Adapter& adapter = scenario::contract_adapter());
  ~BuiltinSutDriver() override;

  void start() override;
  void restart() override;
  std::string stop() noexcept override;
  SutEndpoints endpoints() const override;
  std::string describe() const override;

 private:
  std::unique_ptr<relay::Relay> relay_;
  std::string defects_;
};

}  // namespace camleak::runner
