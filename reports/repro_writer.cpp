#include "reports/repro_writer.hpp"

#include <ostream>

#include "reports/text.hpp"

namespace camleak::reports {

void ReproWriter::render(const RunRecord& r, std::ostream& out) {
  out << "# camleak run of scenario '" << sanitize_utf8(r.scenario_name) << "' ("
      << sanitize_utf8(r.scenario_file) << "), seed " << r.seed << ", outcome " << outcome(r)
      << "\n# Replays the same schedule and fault decisions:\n"
      << sanitize_utf8(r.repro_command) << "\n";
}

}  // namespace camleak::reports
