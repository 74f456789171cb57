#pragma once
// The machine-readable report: everything in the RunRecord, schema-versioned
// ("schema": "camleak.report/1"). Times on the run clock are milliseconds ("*_ms"), wall-clock
// times ISO 8601 UTC. Fault events are rows under "fault_events" with their column names in
// "fault_event_columns" (a million events stay compact).
#include <boost/json/value.hpp>

#include "reports/writer.hpp"

namespace camleak::reports {

boost::json::value to_json(const RunRecord& record);

class JsonWriter final : public StreamWriter {
 public:
  using StreamWriter::StreamWriter;
  std::string name() const override { return "json"; }

 protected:
  void render(const RunRecord& record, std::ostream& out) override;
};

}  // namespace camleak::reports
