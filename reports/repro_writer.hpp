#pragma once
// repro.txt: the command line that replays this run (same scenario, same seed), with the
// scenario and the outcome it is expected to reproduce.
#include "reports/writer.hpp"

namespace camleak::reports {

class ReproWriter final : public StreamWriter {
 public:
  using StreamWriter::StreamWriter;
  std::string name() const override { return "repro"; }

 protected:
  void render(const RunRecord& record, std::ostream& out) override;
};

}  // namespace camleak::reports
