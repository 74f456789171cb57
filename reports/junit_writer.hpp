#pragma once
// JUnit XML for CI systems: one <testcase> per check per phase (classname = scenario name,
// name = "<phase>: <check>"), a <failure> for each failed check whose message names, for a leak,
// the hub, its account, the camera, its owner, the time and the frame's sequence number; the
// failure body lists every leak of the phase with its evidence files. Harness errors become an
// <error> testcase so a broken run never looks green.
#include "reports/writer.hpp"

namespace camleak::reports {

class JunitWriter final : public StreamWriter {
 public:
  using StreamWriter::StreamWriter;
  std::string name() const override { return "junit"; }

 protected:
  void render(const RunRecord& record, std::ostream& out) override;
};

}  // namespace camleak::reports
