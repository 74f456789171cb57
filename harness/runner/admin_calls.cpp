#include "harness/runner/admin_calls.hpp"

namespace camleak::runner {

oracle::CheckResult admin_calls_check(const std::vector<AdminCall>& calls) {
  oracle::CheckResult check{
      .check = "admin_calls_accepted", .phase = "run", .limit = 0, .unit = "count"};
  const AdminCall* first = nullptr;
  size_t refused = 0;
  for (const auto& c : calls) {
    if (c.accepted) continue;
    ++refused;
    if (!first) first = &c;
  }
  check.measured = static_cast<double>(refused);
  check.passed = refused == 0;
  check.message = std::to_string(calls.size()) + " share/revoke call(s) sent, " +
                  std::to_string(refused) + " refused";
  if (first)
    check.message += "; first: " + first->verb + " " + first->camera + " with " + first->account +
                     ": " + first->error;
  return check;
}

std::vector<reports::SutCall> sut_calls(const std::vector<AdminCall>& calls) {
  std::vector<reports::SutCall> out;
  for (const auto& c : calls)
    out.push_back({.action = c.verb + " " + c.camera + " with " + c.account,
                   .time = c.time,
                   .sent_at = c.sent_at,
                   .done_at = c.done_at,
                   .accepted = c.accepted,
                   .error = c.error});
  return out;
}

}  // namespace camleak::runner
