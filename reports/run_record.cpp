#include "reports/run_record.hpp"

#include <cctype>
#include <cstdio>

namespace camleak::reports {

std::string_view outcome(const RunRecord& record) {
  switch (exit_code_of(record)) {
    case 0:
      return "PASS";
    case 1:
      return "FAIL";
    default:
      return "ERROR";
  }
}

int exit_code_of(const RunRecord& record) {
  if (!record.harness_errors.empty() || record.exit_code >= 2) return record.exit_code == 2 ? 2 : 3;
  if (record.exit_code != 0 || !record.results.passed()) return 1;
  return 0;
}

void add_oracle_results(RunRecord& record, oracle::Results results) {
  record.evidence.reserve(results.findings.size());
  for (size_t i = 0; i < results.findings.size(); ++i) {
    std::string kind(oracle::to_string(results.findings[i].verdict.kind));
    for (auto& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    char id[32];
    std::snprintf(id, sizeof id, "%04zu-", i + 1);
    record.evidence.push_back(Evidence{.id = id + kind, .finding = results.findings[i]});
  }
  record.results = std::move(results);
}

std::string decode_command(std::string_view protocol, uint16_t server_port, std::string_view path) {
  std::string command = "tshark";
  if (protocol == "rtp" || protocol == "rtcp") {
    command += " --enable-heuristic rtp_udp";  // RTCP's heuristic is on by default
  } else if (server_port != 0) {
    command += " -d tcp.port==" + std::to_string(server_port) + "," + std::string(protocol);
  }
  return command + " -r " + std::string(path);
}

}  // namespace camleak::reports
