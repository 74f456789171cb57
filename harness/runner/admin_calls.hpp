#pragma once
// The shares and revokes a run sent the SUT, judged and reported: the SUT must accept every one,
// since one it refused leaves its entitlements unlike the ground truth.
#include <vector>

#include "harness/oracle/checks.hpp"
#include "harness/runner/player.hpp"
#include "reports/run_record.hpp"

namespace camleak::runner {

// `admin_calls_accepted` (phase run): fails with the count refused, naming the first.
oracle::CheckResult admin_calls_check(const std::vector<AdminCall>& calls);
// What the SUT was told and when, for the report.
std::vector<reports::SutCall> sut_calls(const std::vector<AdminCall>& calls);

}  // namespace camleak::runner
