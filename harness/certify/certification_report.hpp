#pragma once
// The certification record as files: certification.json (everything, for programs),
// certification.html (for people: per test ID the verdict, the figures beside the plan's budgets,
// links to each seed's own report and evidence), junit.xml (one testcase per test ID: failed,
// errored or skipped with the reason). One outcome everywhere: the exit code, the JSON's
// `exit_code`, the HTML's headline and the JUnit counts agree.
#include <boost/json/value.hpp>
#include <filesystem>
#include <string>

#include "harness/certify/certification.hpp"

namespace camleak::certify {

boost::json::value certification_json(const CertificationRecord& record);
std::string certification_html(const CertificationRecord& record);
std::string certification_junit(const CertificationRecord& record);
// `text` into `path` through a temporary file renamed into place. Throws HarnessError.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);
// Writes the three files into `dir` (each atomically). Throws HarnessError.
void write_certification(const CertificationRecord& record, const std::string& dir);
// "PASS", "FAIL", "NOTHING APPLICABLE", "ERROR" or "INTERRUPTED" for the exit code.
std::string certification_outcome(const CertificationRecord& record);

}  // namespace camleak::certify
