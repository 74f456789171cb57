#include "reports/run_record.hpp"

#include <cctype>
#include <cstdio>

namespace camleak::reports {

std::string_view outcome(const RunRecord& record) {
  if (!record.harness_errors.empty() || record.exit_code >= 2) return "ERROR";
  if (record.exit_code != 0) return "FAIL";
  for (const auto& check : record.checks)
    if (!check.passed) return "FAIL";
  return "PASS";
}

void add_oracle_results(RunRecord& record, const oracle::Results& results) {
  record.verdict_counts = results.counts;
  record.evidence_dropped = results.findings_dropped;
  record.phase_verdicts = results.phase_verdicts;
  record.metrics = results.streams;
  record.recoveries = results.recoveries;
  record.probes = results.probes;
  record.operations = results.operations;
  record.checks = results.checks;
  record.rate_bucket = results.rate_bucket;
  record.frame_rates = results.frame_rates;
  record.evidence.reserve(results.findings.size());
  for (size_t i = 0; i < results.findings.size(); ++i) {
    std::string kind(oracle::to_string(results.findings[i].verdict.kind));
    for (auto& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    char id[32];
    std::snprintf(id, sizeof id, "%04zu-", i + 1);
    record.evidence.push_back(Evidence{.id = id + kind, .finding = results.findings[i]});
  }
}

}  // namespace camleak::reports
